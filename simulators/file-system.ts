import { bytesEqual } from '../src/core/hex.js';

/**
 * The card's file tree (ISO/IEC 7816-4 §7.1, vsmartcard vicc style: its own module): the MF
 * (3F00) holds DFs, a DF holds EFs and DFs; an EF has a file id, an optional SFI and either
 * records or a transparent body. Access conditions are the `apdu-specs/` names (`free`,
 * `RKSSSE`, `UKSSSE`, `never`); the security state decides whether one is met.
 */
export type AccessCondition = string;

export interface AccessRules {
  readonly read: AccessCondition;
  readonly write: AccessCondition;
}

/** The MF's file identifier (ISO/IEC 7816-4 §7.1.1). */
export const MF_FID = 0x3f00;

export class DedicatedFile {
  readonly kind = 'DF';
  private readonly childList: FileNode[] = [];

  constructor(
    /** File id; undefined for a DF reachable only by name (e.g. SSSE, docs/reference/card-spec.md §1). */
    readonly fid: number | undefined,
    /** DF name (application identifier or name, up to 16 bytes). */
    readonly dfName: Uint8Array | undefined,
    readonly label: string,
    /** FCI template answered by SELECT with P2 = 00; undefined = 9000 without data. */
    readonly fci?: Uint8Array,
    public parent?: DedicatedFile,
  ) {}

  get children(): readonly FileNode[] {
    return this.childList;
  }

  add<T extends FileNode>(child: T): T {
    child.parent = this;
    this.childList.push(child);
    return child;
  }

  childByFid(fid: number): FileNode | undefined {
    return this.childList.find((c) => c.fid === fid);
  }

  /** The EF with this short file identifier among the DF's children (ISO/IEC 7816-4 §7.2.2). */
  efBySfi(sfi: number): ElementaryFile | undefined {
    return this.childList.find((c): c is ElementaryFile => c.kind !== 'DF' && c.sfi === sfi);
  }

  /** Depth-first search of this DF and every DF below it for a DF name. */
  findByName(name: Uint8Array): DedicatedFile | undefined {
    if (this.dfName && bytesEqual(this.dfName, name)) return this;
    for (const c of this.childList) {
      if (c.kind !== 'DF') continue;
      const hit = c.findByName(name);
      if (hit) return hit;
    }
    return undefined;
  }
}

abstract class BaseElementaryFile {
  parent?: DedicatedFile;
  constructor(
    readonly fid: number,
    /** Short file identifier 1-30, or undefined. */
    readonly sfi: number | undefined,
    readonly label: string,
    readonly access: AccessRules,
  ) {}
}

/** A linear variable-length record EF; records are numbered from 1 (ISO/IEC 7816-4 §7.3.1). */
export class RecordFile extends BaseElementaryFile {
  readonly kind = 'records';
  constructor(fid: number, sfi: number | undefined, label: string, access: AccessRules, readonly records: Uint8Array[]) {
    super(fid, sfi, label, access);
  }

  /** Record `number` (1-based), or undefined. */
  record(number: number): Uint8Array | undefined {
    return number >= 1 ? this.records[number - 1] : undefined;
  }
}

/** A transparent EF (ISO/IEC 7816-4 §7.2.1): a body of `size` bytes read by offset. */
export class TransparentFile extends BaseElementaryFile {
  readonly kind = 'transparent';
  constructor(fid: number, sfi: number | undefined, label: string, access: AccessRules, readonly body: Uint8Array) {
    super(fid, sfi, label, access);
  }
}

export type ElementaryFile = RecordFile | TransparentFile;
export type FileNode = DedicatedFile | ElementaryFile;

/** The whole tree: the MF and lookups that start from it. */
export class FileSystem {
  constructor(readonly mf: DedicatedFile) {}

  /** Any DF of the card by DF name (SELECT P1 = 04, ISO/IEC 7816-4 §11.2.2). */
  dfByName(name: Uint8Array): DedicatedFile | undefined {
    return this.mf.findByName(name);
  }
}
