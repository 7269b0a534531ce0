/** What a caller may know about a reader without touching a card. */
export type ReaderKind = 'pcsc' | 'simulated' | 'replay' | 'hid';

export interface ReaderInfo {
  /** Stable id: survives pcscd restarts and re-plugging into the same name. */
  readonly id: string;
  /** Name as the platform reports it (PC/SC reader name) or `Simulated card (<profile>)`. */
  readonly name: string;
  readonly kind: ReaderKind;
  /** True for the built-in simulated card: always labelled as such to users. */
  readonly simulated: boolean;
  /**
   * Which card interface the reader serves (docs/readers.md "Interface choice"): from the driver
   * (HID) or the reader name (PC/SC); `contact` when nothing says otherwise.
   */
  readonly cardInterface?: CardInterface | undefined;
}

/** The card's two interfaces (card-spec §4 `iType`); `dual` = a reader serving both. */
export type CardInterface = 'contact' | 'contactless' | 'dual';
