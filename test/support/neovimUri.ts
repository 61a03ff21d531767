// How Neovim names a POSIX file (vim.uri_from_fname with its default RFC 3986 set): the unreserved and
// reserved characters `A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = : @ /` stay as they are, every other
// UTF-8 byte becomes `%xx` in lower-case hex. VS Code would encode `(`, `@`, `+`, `:`... as well.
const KEPT = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

export function neovimUri(file: string): string {
  const bytes = [...Buffer.from(file, 'utf8')];
  return `file://${bytes.map((b) => (b < 0x80 && KEPT.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('')}`;
}
