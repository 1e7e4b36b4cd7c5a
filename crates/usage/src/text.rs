//! Where a file stops being UTF-8 text, for errors that name the line and column of the first
//! byte that is not, as a scenario's diagnostics name theirs. Read as a stream, so a large
//! export is never held whole to find it.

use std::io::BufRead;

/// The first byte of a text that is not UTF-8: its line and column (from 1; columns count
/// characters) and the byte itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf8Fault {
    pub line: usize,
    pub column: usize,
    pub byte: u8,
}

/// The first byte of `reader` that is not UTF-8, if any. A character cut at the end of the
/// text is a fault at its first byte.
pub fn first_non_utf8(mut reader: impl BufRead) -> std::io::Result<Option<Utf8Fault>> {
    let (mut line, mut column) = (1usize, 1usize);
    // A character cut by the reader's buffer, carried over to the next read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(carry.first().map(|&byte| Utf8Fault { line, column, byte }));
        }
        let taken = buf.len();
        let mut bytes = std::mem::take(&mut carry);
        bytes.extend_from_slice(buf);
        reader.consume(taken);
        let (good, fault) = match std::str::from_utf8(&bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                (good, Some((e.valid_up_to(), e.error_len())))
            }
        };
        for c in good.chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        match fault {
            None => {}
            // Cut at the end of what was read: the next read may complete it.
            Some((at, None)) => carry = bytes[at..].to_vec(),
            Some((at, Some(_))) => {
                return Ok(Some(Utf8Fault {
                    line,
                    column,
                    byte: bytes[at],
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], capacity: usize) -> Option<Utf8Fault> {
        first_non_utf8(std::io::BufReader::with_capacity(capacity, bytes)).unwrap()
    }

    #[test]
    fn names_the_first_byte_that_is_not_utf8_whatever_the_buffer() {
        let text = "a,b\nnaïve,€\nGl\u{e9}bal".as_bytes();
        for capacity in 1..8 {
            assert_eq!(check(text, capacity), None, "capacity {capacity}");
        }
        let mut latin1 = "a,b\nnaïve,€\nGl".as_bytes().to_vec();
        latin1.extend_from_slice(b"\xe9bal\n");
        for capacity in 1..8 {
            assert_eq!(
                check(&latin1, capacity),
                Some(Utf8Fault {
                    line: 3,
                    column: 3,
                    byte: 0xe9
                }),
                "capacity {capacity}"
            );
        }
        // A character cut at the very end.
        assert_eq!(
            check("€".as_bytes().get(..2).unwrap(), 4),
            Some(Utf8Fault {
                line: 1,
                column: 1,
                byte: 0xe2
            })
        );
    }
}
