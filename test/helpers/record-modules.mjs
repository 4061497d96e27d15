// Preloaded into a CLI run (node --import): records the URL of every module the ES module loader
// resolves (a CommonJS module required by another is not seen) and writes them as JSON to the file
// named by ASYNCSCOPE_RECORD_MODULES at exit. Tests use it to check what a command loads.
import fs from 'node:fs';
import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

const target = process.env.ASYNCSCOPE_RECORD_MODULES;
if (target) {
  // The hooks run in a thread of their own: they post each URL, read here at exit.
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  register('./record-modules-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
  process.on('exit', () => {
    const urls = [];
    for (let message = receiveMessageOnPort(port1); message; message = receiveMessageOnPort(port1)) urls.push(message.message);
    fs.writeFileSync(target, JSON.stringify(urls));
  });
}
