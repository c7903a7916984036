import { CliUsageError, parseCliArgs } from './cli';

describe('parseCliArgs', () => {
  it('reads port, host, path and max-records', () => {
    const command = parseCliArgs([
      '--port',
      '7100',
      '--host',
      '::1',
      '--path',
      '/api/bulk',
      '--max-records',
      '500',
    ]);

    expect(command).toEqual({
      kind: 'start',
      options: {
        port: 7100,
        host: '::1',
        path: '/api/bulk',
        maxRecordsPerRequest: 500,
      },
    });
  });

  it('defaults to port 7100 on 127.0.0.1 and /bulk', () => {
    expect(parseCliArgs([])).toEqual({
      kind: 'start',
      options: { port: 7100, host: '127.0.0.1', path: '/bulk' },
    });
  });

  it('asks for help with -h', () => {
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', 'http'], '--port is "http"'],
    [['--port', '70000'], 'from 0 to 65535'],
    [['--max-records', '0'], '--max-records is "0"'],
    [['--path', 'bulk'], '--path bulk must start with /'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['extra'], 'extra'],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
