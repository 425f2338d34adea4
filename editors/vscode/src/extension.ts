// extension.ts - the VS Code client of the charcheck language server: it
// starts `charcheck lsp` (the setting charcheck.path names the program)
// for every .char file; diagnostics, hover, go to definition, references,
// rename, the outline, formatting and the PASS/FAIL code lenses come from
// the server (docs/editors.md).
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(
  context: vscode.ExtensionContext,
): Promise<void> {
  const config = vscode.workspace.getConfiguration('charcheck');
  const serverOptions: ServerOptions = {
    command: config.get<string>('path', 'charcheck'),
    args: ['lsp'],
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'char' }],
    initializationOptions: {
      checkDelayMs: config.get<number>('checkDelayMs', 400),
    },
  };
  client = new LanguageClient('charcheck', 'charcheck', serverOptions,
    clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
