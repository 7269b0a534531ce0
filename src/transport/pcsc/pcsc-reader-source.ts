import type { ReaderSource } from '../reader-source.js';
import { PcscConnector, type PcscConnectorOptions } from './pcsc-connector.js';
import { PcscContextManager } from './pcsc-context.js';
import { PcscReaderMonitor } from './pcsc-reader-monitor.js';

/**
 * PC/SC readers as one ReaderSource: the monitor and the connector share one context manager,
 * so a pcscd restart is recovered once for both. `stop()` closes every reader and the context
 * (else Node never exits: docs/pcsc.md, "Teardown").
 */
export class PcscReaderSource implements ReaderSource {
  readonly name = 'pcsc';
  readonly manager: PcscContextManager;
  readonly monitor: PcscReaderMonitor;
  readonly connector: PcscConnector;

  constructor(options: Omit<PcscConnectorOptions, 'manager'> = {}) {
    this.manager = new PcscContextManager(options);
    this.monitor = new PcscReaderMonitor({ manager: this.manager });
    this.connector = new PcscConnector({ ...options, manager: this.manager });
  }

  async stop(): Promise<void> {
    await this.connector.close();
    await this.monitor.stop();
    await this.manager.stop();
  }
}
