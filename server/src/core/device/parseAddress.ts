// A target address as a user types it: `0x20000000`, `0X2000_0000` or `536870912`.

/** The address, or a sentence saying why the text is not one. */
export function parseAddress(text: string): number | string {
  const plain = text.trim().replace(/_/g, '');
  const value = /^0x[0-9a-f]+$/i.test(plain) ? parseInt(plain.slice(2), 16) : /^\d+$/.test(plain) ? Number(plain) : NaN;
  if (Number.isNaN(value)) return `"${text}" is not an address (write it as 0x20000000 or in decimal)`;
  if (value > 0xffff_ffff) return `"${text}" is past the 32-bit address space`;
  return value;
}
