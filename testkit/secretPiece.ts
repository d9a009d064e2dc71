/**
 * The first piece of `secret` (`width` characters in a row) that `text`
 * holds, or undefined: "no character of a secret in an artifact", checked
 * by windows wide enough that a random match is out of the question.
 */
export function secretPiece(text: string, secret: string, width = 10): string | undefined {
  for (let i = 0; i + width <= secret.length; i++) {
    const piece = secret.slice(i, i + width);
    if (text.includes(piece)) return piece;
  }
  return secret.length < width && text.includes(secret) ? secret : undefined;
}
