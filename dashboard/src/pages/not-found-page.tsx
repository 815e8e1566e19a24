/** The page for unknown paths. */
import { Link, paths } from '../router';

/** Says the path is unknown and links back to the models. */
export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <Link to={paths.models()}>Back to the models</Link>.
      </p>
    </div>
  );
}
