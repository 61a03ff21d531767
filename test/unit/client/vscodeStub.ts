// Loads client modules outside VS Code. The 'vscode' module exists only inside VS Code, so while
// `load` runs, a stub stands in for it: any property, call or construction gives a stub back and
// assignments are accepted, enough for code that only registers providers and listeners; a call of
// a `get` method (WorkspaceConfiguration.get) gives undefined, as for a setting nobody set. The tests
// call the client's own logic; nothing here pretends to be VS Code's behaviour.
import Module from 'node:module';

function stubNamed(name: string): unknown {
  const self: unknown = new Proxy(function () {}, {
    get: (_target, property) => (property === '__esModule' ? false : stubNamed(String(property))),
    set: () => true,
    apply: () => (name === 'get' ? undefined : self),
    construct: () => self as object,
    // `import * as vscode` compiles to an object whose prototype is the module's: looked up there, any
    // name (vscode.workspace, vscode.EventEmitter…) is a stub too.
    getPrototypeOf: () => new Proxy({}, { get: (_target, property) => stubNamed(String(property)) }),
  });
  return self;
}

const vscodeStub = stubNamed('vscode');

export function withVscodeStub<T>(load: () => T): T {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request, ...rest) => (request === 'vscode' ? vscodeStub : original(request, ...rest));
  try {
    return load();
  } finally {
    loader._load = original;
  }
}
