import { sql, type Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialect-capabilities.js';

/** The initial schema: every table of the registry, with the rules the database itself enforces. */
export async function up(db: Kysely<unknown>, caps: DialectCapabilities): Promise<void> {
  await db.schema
    .createTable('models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('license', 'text')
    .addColumn('description', 'text')
    .addColumn('audience', 'text')
    .addColumn('use_cases', 'text')
    .addColumn('limitations', 'text')
    .addColumn('trade_offs', 'text')
    .addColumn('ethics', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('write_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('model_tags')
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_tags_pk', ['model_id', 'tag'])
    .execute();
  await db.schema.createIndex('model_tags_tag').on('model_tags').columns(['tag', 'model_id']).execute();

  await db.schema
    .createTable('model_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('number', 'bigint', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('stage', 'text', (c) =>
      c.notNull().defaultTo('none').check(sql`stage in ('none', 'staging', 'production', 'archived')`),
    )
    .addColumn('stage_changed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('model_versions_model_number', ['model_id', 'number'])
    .addUniqueConstraint('model_versions_model_name', ['model_id', 'name'])
    .execute();
  // The rule "at most one staging and one production version per model" lives in the database, so
  // no write path — ours, a script's, a second server's — can break it.
  await db.schema
    .createIndex('model_versions_exclusive_stage')
    .on('model_versions')
    .columns(['model_id', 'stage'])
    .unique()
    .where(sql.ref('stage'), 'in', [sql.lit('staging'), sql.lit('production')])
    .execute();
  await db.schema.createIndex('model_versions_stage').on('model_versions').columns(['model_id', 'stage', 'stage_changed_at']).execute();
  await db.schema.createIndex('model_versions_created').on('model_versions').columns(['model_id', 'created_at']).execute();

  await db.schema
    .createTable('model_version_tags')
    .addColumn('model_version_id', 'text', (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_version_tags_pk', ['model_version_id', 'tag'])
    .execute();
  await db.schema.createIndex('model_version_tags_tag').on('model_version_tags').columns(['tag', 'model_version_id']).execute();

  // History survives the deletion of a version (it is never rewritten), so model_version_id is not a
  // foreign key; it goes only with its model.
  await db.schema
    .createTable('stage_transitions')
    .addColumn('seq', caps.autoIncrementType, (c) => caps.autoIncrement(c))
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('model_version_id', 'text', (c) => c.notNull())
    .addColumn('version_number', 'bigint', (c) => c.notNull())
    .addColumn('version_name', 'text', (c) => c.notNull())
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('displaced_version_id', 'text')
    .addColumn('displaced_version_number', 'bigint')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stage_transitions_model').on('stage_transitions').columns(['model_id', 'seq']).execute();

  await db.schema
    .createTable('artifacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('write_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('pipeline_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pipeline_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('model_version_id', 'text', (c) => c.references('model_versions.id').onDelete('set null'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('pipeline_runs_pipeline').on('pipeline_runs').columns(['pipeline_name', 'started_at']).execute();
  await db.schema.createIndex('pipeline_runs_started').on('pipeline_runs').columns(['started_at']).execute();

  await db.schema
    .createTable('step_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pipeline_run_id', 'text', (c) => c.notNull().references('pipeline_runs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cache_hit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cache_key', 'text')
    .addColumn('model_version_id', 'text', (c) => c.references('model_versions.id').onDelete('set null'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('error', 'text')
    .addColumn('logs', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('step_runs_run').on('step_runs').columns(['pipeline_run_id']).execute();
  await db.schema.createIndex('step_runs_cache').on('step_runs').columns(['cache_key', 'status']).execute();

  await db.schema
    .createTable('artifact_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('artifact_id', 'text', (c) => c.notNull().references('artifacts.id').onDelete('cascade'))
    .addColumn('version', 'bigint', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('data', 'model', 'deployment', 'statistics', 'schema', 'analysis')`),
    )
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('materializer', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('producer_run_id', 'text', (c) => c.references('pipeline_runs.id').onDelete('set null'))
    .addColumn('producer_step_run_id', 'text', (c) => c.references('step_runs.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('artifact_versions_artifact_version', ['artifact_id', 'version'])
    .execute();
  await db.schema.createIndex('artifact_versions_hash').on('artifact_versions').columns(['content_hash']).execute();
  await db.schema.createIndex('artifact_versions_created').on('artifact_versions').columns(['created_at']).execute();
  await db.schema.createIndex('artifact_versions_producer').on('artifact_versions').columns(['producer_run_id']).execute();

  await db.schema
    .createTable('artifact_version_tags')
    .addColumn('artifact_version_id', 'text', (c) => c.notNull().references('artifact_versions.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('artifact_version_tags_pk', ['artifact_version_id', 'tag'])
    .execute();

  await db.schema
    .createTable('model_version_artifacts')
    .addColumn('model_version_id', 'text', (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('artifact_version_id', 'text', (c) => c.notNull().references('artifact_versions.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_version_artifacts_pk', ['model_version_id', 'artifact_version_id'])
    .execute();
  await db.schema.createIndex('model_version_artifacts_av').on('model_version_artifacts').columns(['artifact_version_id']).execute();

  await db.schema
    .createTable('step_run_artifacts')
    .addColumn('step_run_id', 'text', (c) => c.notNull().references('step_runs.id').onDelete('cascade'))
    .addColumn('artifact_version_id', 'text', (c) => c.notNull().references('artifact_versions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('input', 'output')`))
    .addPrimaryKeyConstraint('step_run_artifacts_pk', ['step_run_id', 'direction', 'name'])
    .execute();
  await db.schema.createIndex('step_run_artifacts_av').on('step_run_artifacts').columns(['artifact_version_id']).execute();

  await db.schema
    .createTable('model_version_runs')
    .addColumn('model_version_id', 'text', (c) => c.notNull().references('model_versions.id').onDelete('cascade'))
    .addColumn('pipeline_run_id', 'text', (c) => c.notNull().references('pipeline_runs.id').onDelete('cascade'))
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in ('producer', 'consumer')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_version_runs_pk', ['model_version_id', 'pipeline_run_id', 'relation'])
    .execute();
  await db.schema.createIndex('model_version_runs_run').on('model_version_runs').columns(['pipeline_run_id']).execute();

  await db.schema
    .createTable('run_metadata')
    .addColumn('seq', caps.autoIncrementType, (c) => caps.autoIncrement(c))
    .addColumn('resource_type', 'text', (c) =>
      c.notNull().check(sql`resource_type in ('model_version', 'artifact_version', 'step_run', 'pipeline_run')`),
    )
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('run_metadata_resource').on('run_metadata').columns(['resource_type', 'resource_id', 'key', 'seq']).execute();
}
