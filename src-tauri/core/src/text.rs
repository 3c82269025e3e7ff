//! Small text helpers every crate shares.

/// `text` with every run of whitespace (line breaks included) as one space
/// and none at the ends: error messages stay on one line of standard error
/// whatever a server or a file put in them, and so do one-line fields.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_runs_become_one_space() {
        assert_eq!(one_line("  a\n\tb   c \r\n"), "a b c");
        assert_eq!(one_line(""), "");
    }
}
