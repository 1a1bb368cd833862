import "server-only";

// The portal's sealing of GitHub App private keys; the implementation is shared with the
// key-rotation one-shot, which runs outside Next.
export { isSealed, open, seal } from "./aes-gcm";
