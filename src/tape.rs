//! Tapes: a ChaCha8 stream drawn once per replication and replayed by every design.
//!
//! Common random numbers mean that every design of replication *i* reads the same monthly
//! world events and the same intelligence items. Re-creating those streams for each design
//! computed the same ChaCha blocks eight times; a [`Tape`] computes them once, keeps the words
//! in a buffer that lives as long as the thread's workspace (no allocation per replication once
//! it has grown to the longest world), and hands each design a [`Replay`] that reads them
//! again from the start. The tape is lazy: it computes a block only when some design reads that
//! far, so a short world costs what it uses.
//!
//! A replay yields exactly the values of a fresh generator on the same stream, whatever mix of
//! `next_u32`, `next_u64` and `fill_bytes` the reader uses: a ChaCha8 stream is a sequence of
//! 32-bit words, `next_u64` takes the next two (low word first, across block boundaries
//! too) and `fill_bytes` takes as many whole words as the bytes need. The tests below pin that
//! equivalence against `rand_chacha` itself, so results stay identical to the byte.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Words computed at a time: one `rand_chacha` refill (four 64-byte blocks).
const REFILL: usize = 64;

/// A recorded ChaCha8 stream: the generator and the words it has produced so far.
#[derive(Clone, Debug)]
pub struct Tape {
    rng: ChaCha8Rng,
    words: Vec<u32>,
    /// Words read by every replay since the last [`Tape::reset`] (a diagnostic for the
    /// benchmarks: replays do not count, only what the generator computed).
    drawn: u64,
}

impl Default for Tape {
    fn default() -> Tape {
        Tape::new()
    }
}

impl Tape {
    /// An empty tape (of stream 0 of the all-zero key until [`Tape::reset`]).
    pub fn new() -> Tape {
        Tape {
            rng: ChaCha8Rng::from_seed([0; 32]),
            words: Vec::with_capacity(16 * REFILL),
            drawn: 0,
        }
    }

    /// Start recording stream `stream` of `key`, forgetting what was recorded; keeps the buffer.
    pub fn reset(&mut self, key: [u8; 32], stream: u64) {
        self.rng = ChaCha8Rng::from_seed(key);
        self.rng.set_stream(stream);
        self.drawn += self.words.len() as u64;
        self.words.clear();
    }

    /// A reader of the stream from its first word.
    pub fn replay(&mut self) -> Replay<'_> {
        Replay { tape: self, pos: 0 }
    }

    /// A reader of the stream from word `pos` (a position a [`Replay`] reported).
    pub fn replay_from(&mut self, pos: usize) -> Replay<'_> {
        Replay { tape: self, pos }
    }

    /// Words the generator has computed for this tape over its life (up to the last reset,
    /// plus the current recording).
    pub fn words_drawn(&self) -> u64 {
        self.drawn + self.words.len() as u64
    }

    #[cold]
    #[inline(never)]
    fn extend(&mut self, upto: usize) {
        // Whole refills from word 0 on: fill_bytes then yields exactly the next 64 words, in
        // little-endian order, as 64 calls of next_u32 would (pinned by the tests below).
        let mut block = [0u8; 4 * REFILL];
        while self.words.len() < upto {
            self.rng.fill_bytes(&mut block);
            self.words.extend(
                block
                    .chunks_exact(4)
                    .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])),
            );
        }
    }
}

/// A reader of a [`Tape`]: the same numbers, in the same order, as a fresh generator of the
/// tape's stream.
#[derive(Debug)]
pub struct Replay<'a> {
    tape: &'a mut Tape,
    pos: usize,
}

impl Replay<'_> {
    /// Words read so far (where [`Tape::replay_from`] would continue).
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl RngCore for Replay<'_> {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        let i = self.pos;
        if i >= self.tape.words.len() {
            self.tape.extend(i + 1);
        }
        self.pos = i + 1;
        self.tape.words[i]
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        let i = self.pos;
        if i + 2 > self.tape.words.len() {
            self.tape.extend(i + 2);
        }
        self.pos = i + 2;
        let w = &self.tape.words[i..i + 2];
        u64::from(w[0]) | (u64::from(w[1]) << 32)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(4) {
            let w = self.next_u32().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn fresh(key: [u8; 32], stream: u64) -> ChaCha8Rng {
        let mut r = ChaCha8Rng::from_seed(key);
        r.set_stream(stream);
        r
    }

    /// One step of a read pattern, applied alike to a generator and a replay.
    fn step<R: RngCore>(r: &mut R, op: u8) -> Vec<u8> {
        match op % 4 {
            0 => r.next_u32().to_le_bytes().to_vec(),
            1 => r.next_u64().to_le_bytes().to_vec(),
            2 => r.random::<f64>().to_le_bytes().to_vec(),
            _ => {
                let mut b = vec![0u8; usize::from(op % 11)];
                r.fill_bytes(&mut b);
                b
            }
        }
    }

    #[test]
    fn a_replay_reads_what_a_fresh_generator_reads() {
        // Odd word counts put next_u64 across the refill boundary at word 64.
        let key = [7u8; 32];
        let mut tape = Tape::new();
        for (stream, ops) in [(1u64, 3u64), (2, 5), (u64::MAX, 11)] {
            tape.reset(key, stream);
            let pattern: Vec<u8> = (0..400u64).map(|i| (i * ops % 13) as u8).collect();
            let mut g = fresh(key, stream);
            let want: Vec<Vec<u8>> = pattern.iter().map(|&op| step(&mut g, op)).collect();
            for _ in 0..3 {
                let mut r = tape.replay();
                let got: Vec<Vec<u8>> = pattern.iter().map(|&op| step(&mut r, op)).collect();
                assert_eq!(got, want, "stream {stream}");
            }
        }
    }

    #[test]
    fn a_replay_from_a_position_continues_the_stream() {
        let key = [3u8; 32];
        let mut tape = Tape::new();
        tape.reset(key, 5);
        let mut r = tape.replay();
        for _ in 0..37 {
            r.next_u32();
        }
        let at = r.position();
        let mut g = fresh(key, 5);
        for _ in 0..37 {
            g.next_u32();
        }
        let want: Vec<u64> = (0..100).map(|_| g.next_u64()).collect();
        let mut r = tape.replay_from(at);
        let got: Vec<u64> = (0..100).map(|_| r.next_u64()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_reset_forgets_the_old_stream_and_counts_the_words() {
        let mut tape = Tape::new();
        tape.reset([1; 32], 1);
        tape.replay().next_u64();
        assert_eq!(tape.words_drawn(), REFILL as u64);
        tape.reset([2; 32], 1);
        let x = tape.replay().next_u64();
        assert_eq!(x, fresh([2; 32], 1).next_u64());
        assert_eq!(tape.words_drawn(), 2 * REFILL as u64);
    }
}
