// microgrid browse: the address space of an OPC UA server, as a tree to pick nodes from.
import {
  browseNode,
  MAX_BROWSE_DEPTH,
  type BrowsedNode,
  type BrowseTree,
} from '../../drivers/opcua/browse';
import type { OpcuaSession } from '../../drivers/opcua/opcua-session';
import { parseNumberFlag, printJson, UsageError, type CliIo } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { opcuaCliError } from './opcua-errors';
import {
  checkNodeIds,
  isOpcuaUrl,
  OPCUA_HELP,
  OPCUA_OPTIONS,
  withOpcuaSession,
} from './opcua-options';
import { sessionJson } from './opcua-format';

const HELP = `
Usage: microgrid browse opc.tcp://HOST:PORT[/PATH] [options]

Lists the nodes under a node of an OPC UA server (default: the Objects folder), each with
its node class, data type and access (r, rw) for variables, and the node id to use with
microgrid read and write. The server's certificate must be trusted (see --trust-server).

Options:
  --node ID             start here, e.g. 'ns=2;s=BatteryContainer' or
                        'nsu=urn:example:plc;s=Line1' (default i=85, the Objects
                        folder); quote ids with ";" in a shell
  --depth N             levels below the start node, 1–${MAX_BROWSE_DEPTH} (default 1)
  --json                print {endpoint, security, serverCertificate, root, nodeCount,
                        truncated}; root is the start node with nested children

${OPCUA_HELP}

Example:
  microgrid browse opc.tcp://192.168.1.30:4840 --user operator --password-file pw.txt --depth 2
`;

function rows(node: BrowsedNode, indent: string, out: string[][]): void {
  for (const child of node.children ?? []) {
    const access = child.access ? (child.access.write ? 'rw' : child.access.read ? 'r' : '-') : '';
    out.push([
      indent + child.displayName,
      child.nodeClass,
      child.dataType ?? '',
      access,
      child.nodeId,
    ]);
    rows(child, `${indent}  `, out);
  }
}

function printText(io: CliIo, s: OpcuaSession, tree: BrowseTree): void {
  const root = tree.root;
  io.out(`${root.displayName} (${root.nodeId}) on ${s.endpointUrl}`);
  const table: string[][] = [];
  rows(root, '  ', table);
  // The access column is always two wide (r, rw), so tables of one node line up with others.
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(i === 3 ? 2 : 0, ...table.map((r) => r[i]!.length)),
  );
  for (const row of table)
    io.out(
      row
        .map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell))
        .join('  ')
        .trimEnd(),
    );
  if (table.length === 0) io.out('  (no children)');
  if (tree.truncated)
    io.out(`… stopped after ${tree.nodeCount} nodes: browse a node further down with --node`);
}

export const browseCommand: Command = {
  summary: 'list the nodes of an OPC UA server (node ids, classes, data types, access)',
  help: HELP,
  options: {
    ...COMMON_OPTIONS,
    ...OPCUA_OPTIONS,
    node: { type: 'string' },
    depth: { type: 'string' },
    'timeout-ms': { type: 'string' },
  },
  async run({ values, positionals, io }) {
    const [url, extra] = positionals;
    if (!url) throw new UsageError('browse needs an OPC UA URL, e.g. opc.tcp://192.168.1.30:4840');
    if (extra !== undefined) throw new UsageError(`browse takes one URL, got also "${extra}"`);
    if (!isOpcuaUrl(url))
      throw new UsageError(`browse speaks OPC UA: give an opc.tcp:// URL, got "${url}"`);
    const depth =
      parseNumberFlag(
        'depth',
        values.depth as string | undefined,
        1,
        MAX_BROWSE_DEPTH,
        'integer',
      ) ?? 1;
    const node = values.node as string | undefined;
    if (node !== undefined) checkNodeIds([node]);
    return withOpcuaSession(url, values, io, async (s) => {
      const tree = await browseNode(s, { ...(node !== undefined ? { nodeId: node } : {}), depth });
      if (!tree.ok) throw opcuaCliError(tree.error);
      if (values.json) printJson(io, { ...sessionJson(s), ...tree.value });
      else printText(io, s, tree.value);
      return 0;
    });
  },
};
