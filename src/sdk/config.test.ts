/**
 * Which store the active configuration names: explicit options, then the environment, then the config
 * file of `modelplane login` ($MODELPLANE_HOME/config.json), then the embedded default. Every case runs
 * with an injected environment and a temporary home, never the real ones.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../domain/errors.js';
import { configFilePath, modelplaneHome, readConfigFile, resolveConfig, resolveEmbeddedConfig } from './config.js';

let home: string;
let env: NodeJS.ProcessEnv;

const writeConfig = (value: unknown, dir = home) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), typeof value === 'string' ? value : JSON.stringify(value));
};

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'modelplane-config-'));
  env = { MODELPLANE_HOME: home, MODELPLANE_ACTOR: 'tester' };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('resolveConfig', () => {
  it('is the embedded store in MODELPLANE_HOME without a config file', () => {
    const config = resolveConfig({}, env);
    expect(config).toMatchObject({
      kind: 'embedded',
      source: 'env',
      home,
      configFile: path.join(home, 'config.json'),
      database: `sqlite://${path.join(home, 'modelplane.db')}`,
      artifacts: path.join(home, 'artifacts'),
      actor: 'tester',
    });
    expect(config.url).toBeUndefined();
    expect(config.apiKey).toBeUndefined();
  });

  it('defaults to ~/.modelplane when MODELPLANE_HOME is unset', () => {
    const config = resolveConfig({ actor: 'a' }, { HOME: home });
    expect(config.home).toBe(path.join(os.homedir(), '.modelplane'));
    expect(modelplaneHome({})).toBe(path.join(os.homedir(), '.modelplane'));
    expect(configFilePath({})).toBe(path.join(os.homedir(), '.modelplane', 'config.json'));
  });

  it('uses the server of the config file', () => {
    writeConfig({ url: 'https://mp.example.com', apiKey: 'mp_key' });
    expect(resolveConfig({}, env)).toMatchObject({ kind: 'server', source: 'config-file', url: 'https://mp.example.com', apiKey: 'mp_key', home });
  });

  it('prefers MODELPLANE_URL + MODELPLANE_API_KEY over the config file', () => {
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' });
    const config = resolveConfig({}, { ...env, MODELPLANE_URL: 'http://env.example.com:8237', MODELPLANE_API_KEY: 'env_key' });
    expect(config).toMatchObject({ kind: 'server', source: 'env', url: 'http://env.example.com:8237', apiKey: 'env_key' });
  });

  it('MODELPLANE_URL without a key is a server without a key (never the key of the config file)', () => {
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' });
    const config = resolveConfig({}, { ...env, MODELPLANE_URL: 'http://127.0.0.1:8237' });
    expect(config).toMatchObject({ kind: 'server', source: 'env', url: 'http://127.0.0.1:8237' });
    expect(config.apiKey).toBeUndefined();
  });

  it('prefers MODELPLANE_DATABASE_URL (an embedded store) over the config file', () => {
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' });
    const config = resolveConfig({}, { ...env, MODELPLANE_DATABASE_URL: 'postgres://u@db/modelplane', MODELPLANE_ARTIFACTS: '/data/artifacts' });
    expect(config).toMatchObject({ kind: 'embedded', source: 'env', database: 'postgres://u@db/modelplane', artifacts: '/data/artifacts' });
    expect(config.url).toBeUndefined();
  });

  it('prefers explicit options over everything', () => {
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' });
    const withEnv = { ...env, MODELPLANE_URL: 'http://env.example.com', MODELPLANE_API_KEY: 'env_key', MODELPLANE_DATABASE_URL: 'sqlite:///env.db' };

    expect(resolveConfig({ url: 'http://opt.example.com', apiKey: 'opt_key' }, withEnv)).toMatchObject({ kind: 'server', source: 'options', url: 'http://opt.example.com', apiKey: 'opt_key' });
    // An explicit url without a key takes the environment's key (as before the config file existed).
    expect(resolveConfig({ url: 'http://opt.example.com' }, withEnv)).toMatchObject({ kind: 'server', url: 'http://opt.example.com', apiKey: 'env_key' });

    const store = path.join(home, 'explicit');
    const byHome = resolveConfig({ home: store }, withEnv);
    expect(byHome).toMatchObject({ kind: 'embedded', source: 'options', home: store, database: `sqlite://${path.join(store, 'modelplane.db')}`, artifacts: path.join(store, 'artifacts') });
    expect(byHome.url).toBeUndefined();

    const byDatabase = resolveConfig({ database: 'sqlite:///tmp/x.db' }, withEnv);
    expect(byDatabase).toMatchObject({ kind: 'embedded', source: 'options', database: 'sqlite:///tmp/x.db' });
    expect(byDatabase.url).toBeUndefined();
  });

  it('an explicit home never reads its config file', () => {
    const other = path.join(home, 'other');
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' }, other);
    expect(resolveConfig({ home: other }, {}).kind).toBe('embedded');
  });

  it('reads the config file of MODELPLANE_HOME only', () => {
    const elsewhere = path.join(home, 'elsewhere');
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' }, elsewhere);
    expect(resolveConfig({}, env).kind).toBe('embedded');
    expect(resolveConfig({}, { ...env, MODELPLANE_HOME: elsewhere })).toMatchObject({ kind: 'server', url: 'https://file.example.com' });
  });

  it('an explicit apiKey overrides the key of the config file', () => {
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' });
    expect(resolveConfig({ apiKey: 'opt_key' }, env)).toMatchObject({ kind: 'server', url: 'https://file.example.com', apiKey: 'opt_key' });
  });

  it('a broken config file is an error naming the file, never silently the embedded store', () => {
    for (const broken of ['{not json', '[]', '{"url": "https://x"}', '{"apiKey": "k"}', '{"url": "", "apiKey": "k"}', '{"url": 5, "apiKey": "k"}']) {
      writeConfig(broken);
      expect(() => resolveConfig({}, env), broken).toThrow(ValidationError);
      expect(() => resolveConfig({}, env), broken).toThrow(path.join(home, 'config.json'));
      // …but a store chosen before the file is consulted does not care.
      expect(resolveConfig({}, { ...env, MODELPLANE_URL: 'http://x' }).kind).toBe('server');
      expect(resolveConfig({ home }, env).kind).toBe('embedded');
    }
  });

  it('keeps the durability and actor rules', () => {
    expect(resolveConfig({}, { ...env, MODELPLANE_DURABILITY: 'full' }).durability).toBe('full');
    expect(resolveConfig({ actor: 'me' }, env).actor).toBe('me');
    expect(() => resolveConfig({}, { ...env, MODELPLANE_DURABILITY: 'sometimes' })).toThrow();
  });
});

describe('resolveEmbeddedConfig', () => {
  it('is the embedded store even when a server is configured', () => {
    writeConfig({ url: 'https://file.example.com', apiKey: 'file_key' });
    const config = resolveEmbeddedConfig({}, { ...env, MODELPLANE_URL: 'http://env.example.com' });
    expect(config).toMatchObject({ kind: 'embedded', home, database: `sqlite://${path.join(home, 'modelplane.db')}` });
    expect(config.url).toBeUndefined();
  });
});

describe('readConfigFile', () => {
  it('is undefined without a file (also when the home does not exist)', () => {
    expect(readConfigFile(path.join(home, 'config.json'))).toBeUndefined();
    expect(readConfigFile(path.join(home, 'missing', 'config.json'))).toBeUndefined();
  });

  it('ignores unknown fields', () => {
    writeConfig({ url: 'https://x.example.com', apiKey: 'k', extra: true });
    expect(readConfigFile(path.join(home, 'config.json'))).toEqual({ url: 'https://x.example.com', apiKey: 'k' });
  });
});
