//! SHA-256 checksums of the files a later command reads back: `state.json` and
//! `replications.csv` (recorded in manifest.json, checked by `merge`) and a checkpoint's
//! accumulator and rows (recorded in the checkpoint, checked by `--resume`). They catch a file
//! edited, damaged or swapped with another shard's or run's, which would otherwise merge or
//! resume into results that are wrong without a sign.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).as_slice())
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A writer (or reader) that hashes every byte it passes on and counts them.
pub struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W> Hashing<W> {
    /// Hash what is written to `inner` from now on.
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            len: 0,
        }
    }

    /// Bytes passed on so far (including those read by [`Hashing::continuing`]).
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing has been passed on.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The SHA-256 of every byte passed on so far, as hex.
    pub fn sha256(&self) -> String {
        hex(self.hasher.clone().finalize().as_slice())
    }

    /// The writer underneath.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }
}

impl<W> Hashing<W> {
    /// Continue a file whose first `len` bytes are already written, reading them from
    /// `written` (the file, positioned at its start) so that [`Hashing::sha256`] covers the
    /// whole file; `inner` must be positioned at `len`. Also returns whether the file held
    /// `len` bytes.
    pub fn continuing(
        inner: W,
        written: &mut impl Read,
        len: u64,
    ) -> io::Result<(Hashing<W>, bool)> {
        let (hasher, read) = hash_prefix(written, len)?;
        Ok((
            Hashing {
                inner,
                hasher,
                len: read,
            },
            read == len,
        ))
    }
}

/// Hash the first `len` bytes of `r` (all of it when shorter): the hasher and the bytes read.
/// Polls for an interrupt between blocks.
fn hash_prefix(r: &mut impl Read, len: u64) -> io::Result<(Sha256, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut read = 0u64;
    while read < len {
        if crate::interrupt::interrupted() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let want = buf
            .len()
            .min(usize::try_from(len - read).unwrap_or(usize::MAX));
        let n = match r.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        read += n as u64;
    }
    Ok((hasher, read))
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_a_file_in_two_parts_gives_the_hash_of_the_whole() {
        let whole = b"replication,design\r\n0,a\r\n0,b\r\n";
        let mut w = Hashing::new(Vec::new());
        w.write_all(whole).unwrap();
        assert_eq!(w.sha256(), sha256_hex(whole));
        assert_eq!(w.len(), whole.len() as u64);

        let mut rest = Vec::new();
        let (mut h, complete) = Hashing::continuing(&mut rest, &mut &whole[..], 20).unwrap();
        assert!(complete);
        assert_eq!(h.sha256(), sha256_hex(&whole[..20]));
        h.write_all(&whole[20..]).unwrap();
        assert_eq!(h.sha256(), sha256_hex(whole));
        assert_eq!(rest, &whole[20..]);
        // A file shorter than the checkpoint says.
        let (_, complete) = Hashing::continuing(Vec::<u8>::new(), &mut &[0u8; 5][..], 20).unwrap();
        assert!(!complete);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
