//! Passwords and passphrases from standard input, one per line, never from
//! an argument (it would show in `ps` and the shell's history). Piped in
//! (`pass show dav | gloss …`) or typed.

use std::io::BufRead;

use gloss_core::{Error, Result};

/// Reads one secret per line from standard input, in the order `names`
/// gives (for messages: "password", "encryption passphrase"). An empty or
/// missing line is an error that names the secret.
pub fn read_lines(names: &[&str]) -> Result<Vec<String>> {
    read_lines_from(&mut std::io::stdin().lock(), names)
}

fn read_lines_from(input: &mut impl BufRead, names: &[&str]) -> Result<Vec<String>> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut line = String::new();
            input
                .read_line(&mut line)
                .map_err(|e| Error::io(format!("reading the {name} from standard input"), e))?;
            let secret = line.trim_end_matches(['\r', '\n']).to_string();
            if secret.is_empty() {
                return Err(Error::InvalidInput(format!(
                    "standard input held no {name} (line {} was empty or missing)",
                    i + 1
                )));
            }
            Ok(secret)
        })
        .collect()
}

/// Refuses to go on without `--password-stdin`, with an example.
pub fn require_stdin(given: bool, example: &str) -> Result<()> {
    if given {
        return Ok(());
    }
    Err(Error::InvalidInput(format!(
        "give the password on standard input with --password-stdin (for example: `{example}`)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_secret_per_line_in_order() {
        let mut input = "s3cret pass\r\ncorrect horse\n".as_bytes();
        let got = read_lines_from(&mut input, &["password", "passphrase"]).unwrap();
        assert_eq!(got, ["s3cret pass", "correct horse"]);
    }

    #[test]
    fn a_missing_line_names_the_secret() {
        let mut input = "only the password\n".as_bytes();
        let err = read_lines_from(&mut input, &["password", "encryption passphrase"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("encryption passphrase"), "{err}");
        assert!(err.contains("line 2"), "{err}");
        let mut empty = "\n".as_bytes();
        assert!(read_lines_from(&mut empty, &["password"]).is_err());
    }

    #[test]
    fn the_flag_is_required() {
        assert!(require_stdin(true, "x").is_ok());
        let err = require_stdin(false, "pass show dav | gloss …")
            .unwrap_err()
            .to_string();
        assert!(err.contains("--password-stdin"), "{err}");
    }
}
