//! 利用規約 and 個人情報の取扱い: society-editable text files (README.md "Consent files").
//! The first line is the version (what a member agrees to and what is recorded), the rest is
//! the text: blocks separated by blank lines, a block starting with `## ` is a heading.

use serde::{Deserialize, Serialize};

/// The longest version line: it is shown, recorded with every agreement and compared.
pub const VERSION_MAX: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    Heading(String),
    /// Line breaks inside a paragraph are kept (numbered items of an article).
    Paragraph(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub version: String,
    pub blocks: Vec<Block>,
}

impl Document {
    /// Reads a consent file; the message says what to fix (`server check-config` prints it).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let version = first.trim().to_string();
        if version.is_empty() {
            return Err("the first line must be the version (e.g. 2026年12月1日 制定), then the text".into());
        }
        if version.chars().count() > VERSION_MAX {
            return Err(format!("the version (first line) must be at most {VERSION_MAX} characters: {version:?}"));
        }
        let mut blocks = Vec::new();
        let mut paragraph: Vec<&str> = Vec::new();
        let end_paragraph = |lines: &mut Vec<&str>, blocks: &mut Vec<Block>| {
            if !lines.is_empty() {
                blocks.push(Block::Paragraph(lines.join("\n")));
                lines.clear();
            }
        };
        for line in rest.lines().map(str::trim_end) {
            if let Some(heading) = line.strip_prefix("## ") {
                end_paragraph(&mut paragraph, &mut blocks);
                blocks.push(Block::Heading(heading.trim().to_string()));
            } else if line.trim().is_empty() {
                end_paragraph(&mut paragraph, &mut blocks);
            } else {
                paragraph.push(line);
            }
        }
        end_paragraph(&mut paragraph, &mut blocks);
        if blocks.is_empty() {
            return Err("has a version but no text".into());
        }
        Ok(Self { version, blocks })
    }
}

/// What one agreement covers: both documents at their versions. Recorded per account.
pub fn consent_key(terms: &Document, privacy: &Document) -> String {
    format!("利用規約 {} / 個人情報の取扱い {}", terms.version, privacy.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_version_headings_and_paragraphs_follow() {
        let d = Document::parse(
            "\u{feff}2026年12月1日 制定\r\n\r\n## 第1条（目的）\r\nこの規約は…\r\n1. 一\r\n2. 二  \r\n\r\n\r\n## 第2条\n本文\n",
        )
        .unwrap();
        assert_eq!(d.version, "2026年12月1日 制定");
        assert_eq!(
            d.blocks,
            vec![
                Block::Heading("第1条（目的）".into()),
                Block::Paragraph("この規約は…\n1. 一\n2. 二".into()),
                Block::Heading("第2条".into()),
                Block::Paragraph("本文".into()),
            ]
        );
    }

    #[test]
    fn a_file_without_version_or_text_is_refused() {
        assert!(Document::parse("").is_err());
        assert!(Document::parse("\n本文").unwrap_err().contains("first line"));
        assert!(Document::parse("第1版\n\n\n").unwrap_err().contains("no text"));
        assert!(Document::parse(&format!("{}\n本文", "版".repeat(VERSION_MAX + 1))).unwrap_err().contains("at most"));
    }

    #[test]
    fn the_key_names_both_versions() {
        let t = Document::parse("第2版\n本文").unwrap();
        let p = Document::parse("第1版\n本文").unwrap();
        assert_eq!(consent_key(&t, &p), "利用規約 第2版 / 個人情報の取扱い 第1版");
    }
}
