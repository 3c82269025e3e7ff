//! The frames of native messaging, as Chrome and Firefox define them: each
//! message is a 4-byte length in the machine's byte order, then that many
//! bytes of UTF-8 JSON. The browser writes to the host's standard input and
//! reads its standard output; it closes the input when it is done.

use std::io::{ErrorKind, Read, Write};

/// The largest message taken from the browser (64 MiB): a page's HTML is at
/// most 32 MiB (`gloss_core::save::page::MAX_PAGE_HTML`), JSON escaping
/// may double it. Larger ones are read past and refused.
pub const MAX_INCOMING: u32 = 64 * 1024 * 1024;
/// The largest message the browsers take from a host (1 MB).
pub const MAX_OUTGOING: usize = 1024 * 1024;

/// What the next frame was.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole message's bytes.
    Message(Vec<u8>),
    /// A message of this many bytes, over [`MAX_INCOMING`]: it was read
    /// past (not kept), so the next frame can be read.
    TooLarge(u32),
    /// The browser closed the input between messages: the host is done.
    End,
    /// The input ended inside a frame: nothing more can be read.
    Truncated,
}

/// Reads one frame. Short reads are waited on until the frame is whole (a
/// pipe gives what it has); I/O errors other than the end are returned.
pub fn read_frame(input: &mut impl Read) -> std::io::Result<Frame> {
    let mut header = [0u8; 4];
    let got = read_full(input, &mut header)?;
    if got == 0 {
        return Ok(Frame::End);
    }
    if got < header.len() {
        return Ok(Frame::Truncated);
    }
    let length = u32::from_ne_bytes(header);
    if length > MAX_INCOMING {
        let skipped = std::io::copy(&mut input.take(u64::from(length)), &mut std::io::sink())?;
        return Ok(if skipped < u64::from(length) {
            Frame::Truncated
        } else {
            Frame::TooLarge(length)
        });
    }
    let mut body = vec![0u8; length as usize];
    if read_full(input, &mut body)? < body.len() {
        return Ok(Frame::Truncated);
    }
    Ok(Frame::Message(body))
}

/// Fills `buffer` unless the input ends first; returns how much was read.
fn read_full(input: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Writes one message and flushes it (the browser waits for it). A
/// message over [`MAX_OUTGOING`] is not written: the browser would end the
/// connection.
pub fn write_frame(output: &mut impl Write, json: &[u8]) -> std::io::Result<()> {
    if json.len() > MAX_OUTGOING {
        return Err(std::io::Error::new(
            ErrorKind::InvalidData,
            format!(
                "a reply of {} bytes is over the browsers' 1 MB limit",
                json.len()
            ),
        ));
    }
    let length = json.len() as u32;
    output.write_all(&length.to_ne_bytes())?;
    output.write_all(json)?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives its bytes a few at a time, as a pipe may.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn framed(messages: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for m in messages {
            write_frame(&mut out, m).unwrap();
        }
        out
    }

    #[test]
    fn frames_split_anywhere_by_the_pipe_are_read_whole() {
        let big = vec![b'x'; 300_000];
        let bytes = framed(&[br#"{"type":"ping"}"#, &big, b"{}"]);
        for step in [1, 3, 4, 5, 7, 4096] {
            let mut input = Trickle {
                bytes: bytes.clone(),
                at: 0,
                step,
            };
            assert_eq!(
                read_frame(&mut input).unwrap(),
                Frame::Message(br#"{"type":"ping"}"#.to_vec()),
                "step {step}"
            );
            assert_eq!(read_frame(&mut input).unwrap(), Frame::Message(big.clone()));
            assert_eq!(
                read_frame(&mut input).unwrap(),
                Frame::Message(b"{}".to_vec())
            );
            assert_eq!(read_frame(&mut input).unwrap(), Frame::End);
        }
    }

    #[test]
    fn the_length_is_in_the_machines_byte_order() {
        let bytes = framed(&[b"abc"]);
        assert_eq!(&bytes[..4], &3u32.to_ne_bytes());
        assert_eq!(&bytes[4..], b"abc");
    }

    #[test]
    fn an_input_that_ends_inside_a_frame_is_truncated() {
        let bytes = framed(&[b"{\"type\":\"ping\"}"]);
        for cut in [1, 2, 3, 4, 10] {
            let mut input = &bytes[..cut];
            assert_eq!(
                read_frame(&mut input).unwrap(),
                Frame::Truncated,
                "cut {cut}"
            );
        }
        let mut empty: &[u8] = &[];
        assert_eq!(read_frame(&mut empty).unwrap(), Frame::End);
    }

    #[test]
    fn an_oversized_frame_is_read_past_and_the_next_one_is_read() {
        let length = MAX_INCOMING + 1;
        let mut bytes = length.to_ne_bytes().to_vec();
        bytes.resize(bytes.len() + length as usize, b' ');
        bytes.extend(framed(&[b"{\"type\":\"ping\"}"]));
        let mut input = Trickle {
            bytes,
            at: 0,
            step: 1 << 20,
        };
        assert_eq!(read_frame(&mut input).unwrap(), Frame::TooLarge(length));
        assert_eq!(
            read_frame(&mut input).unwrap(),
            Frame::Message(b"{\"type\":\"ping\"}".to_vec())
        );
        // A length of 4 GiB with nothing behind it is not waited on forever.
        let mut lying: &[u8] = &u32::MAX.to_ne_bytes();
        assert_eq!(read_frame(&mut lying).unwrap(), Frame::Truncated);
    }

    #[test]
    fn a_reply_over_one_megabyte_is_not_written() {
        let mut out = Vec::new();
        assert!(write_frame(&mut out, &vec![b'x'; MAX_OUTGOING + 1]).is_err());
        assert!(out.is_empty());
        write_frame(&mut out, &vec![b'x'; MAX_OUTGOING]).unwrap();
        assert_eq!(out.len(), MAX_OUTGOING + 4);
    }
}
