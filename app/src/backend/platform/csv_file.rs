//! The society's CSV files (名簿, 医療費データ …) as Excel writes them: UTF-8 with or without BOM,
//! or Shift_JIS/CP932; English or Japanese headers in any order; every problem reported with its
//! line (1 = the header), and nothing applied while one remains.

use crate::domain::trim_spaces;
use std::io::Read;

/// A problem with the file, with the line it is on (1 = the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}行目: {}", self.line, self.reason)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("ファイルの文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）。")]
    Encoding,
    #[error("{} 件の誤りがあるため、取り込みませんでした。", .0.len())]
    Rows(Vec<RowError>),
    #[error("ファイルを読み取れません: {0}")]
    Io(#[from] std::io::Error),
    #[error("データベースエラー: {0}")]
    Db(#[from] sqlx::Error),
}

/// Decodes a whole file held in memory (a browser upload): UTF-8 (with or without BOM), else
/// Shift_JIS/CP932.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    // encoding_rs' SHIFT_JIS is the WHATWG one, i.e. Windows-31J (CP932).
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        return Err(ImportError::Encoding);
    }
    Ok(text.into_owned())
}

/// Opens a file of any size as UTF-8 text, streamed: a first pass checks whether it is UTF-8,
/// the reader then decodes Shift_JIS on the fly if not (never the whole file in memory). A
/// byte Shift_JIS cannot map arrives as U+FFFD: [`UNREADABLE`] tells the row.
pub fn open(path: &std::path::Path) -> Result<Box<dyn Read + Send>, ImportError> {
    let utf8 = is_utf8(std::fs::File::open(path)?)?;
    let file = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(path)?);
    let decoder = encoding_rs_io::DecodeReaderBytesBuilder::new()
        .encoding(Some(if utf8 { encoding_rs::UTF_8 } else { encoding_rs::SHIFT_JIS }))
        .bom_override(true)
        .build(file);
    Ok(Box::new(decoder))
}

/// The replacement character a stream decoder puts where the file had an unmappable byte.
pub const UNREADABLE: char = '\u{FFFD}';

fn is_utf8(mut file: impl Read) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 16];
    let mut carried = 0;
    loop {
        let n = file.read(&mut buf[carried..])?;
        let filled = carried + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carried = 0,
            // A character cut by the buffer's end: carry its bytes to the next read.
            Err(e) if e.error_len().is_none() && n > 0 => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
            Err(_) => return Ok(false),
        }
        if n == 0 {
            return Ok(carried == 0);
        }
    }
}

/// Maps the header row to columns. `known` lists the accepted headers for the message.
pub fn header_columns<C: Copy + PartialEq>(
    header: &csv::StringRecord,
    from_header: impl Fn(&str) -> Option<C>,
    required: &[(C, &str)],
    known: &str,
) -> Result<Vec<C>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut columns: Vec<C> = Vec::new();
    for name in header.iter() {
        match from_header(trim_spaces(name.trim_start_matches('\u{FEFF}'))) {
            Some(c) if columns.contains(&c) => {
                errors.push(RowError { line: 1, reason: format!("見出し「{name}」が重複しています。") })
            }
            Some(c) => columns.push(c),
            None => errors
                .push(RowError { line: 1, reason: format!("見出し「{name}」は不明です（使える見出し: {known}）。") }),
        }
    }
    for (col, label) in required {
        if !columns.contains(col) {
            errors.push(RowError { line: 1, reason: format!("見出しに {label} の列がありません。") });
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

/// The header row of a file, or why there is none.
pub fn header_row<R: Read>(records: &mut csv::StringRecordsIntoIter<R>) -> Result<csv::StringRecord, RowError> {
    match records.next() {
        Some(Ok(h)) => Ok(h),
        Some(Err(e)) => Err(csv_error(1, &e)),
        None => Err(RowError { line: 1, reason: "ファイルが空です（見出し行が必要です）。".into() }),
    }
}

/// A CSV reader as every import reads: no header handling of its own, rows of any length
/// (a short row is reported, not a parse failure).
pub fn reader<R: Read>(input: R) -> csv::StringRecordsIntoIter<R> {
    csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(input).into_records()
}

pub fn csv_error(line: u64, e: &csv::Error) -> RowError {
    RowError { line, reason: format!("CSVとして読み取れません（{e}）。") }
}

/// A row's line, and whether it is one of the blank lines Excel leaves at the end.
pub fn line_of(record: &csv::StringRecord) -> (u64, bool) {
    (record.position().map(|p| p.line()).unwrap_or(0), record.iter().all(|f| trim_spaces(f).is_empty()))
}

/// A CSV for staff to open in Excel (the console's exports): UTF-8 with a BOM, and no cell a
/// spreadsheet would run as a formula — text that reached us from a member, a roster or a staff
/// note and starts with `=`, `+`, `-` or `@` gets a leading `'`.
pub fn spreadsheet<R, C>(header: &[&str], rows: impl IntoIterator<Item = R>) -> Result<Vec<u8>, csv::Error>
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.into_iter().map(|c| spreadsheet_cell(c.as_ref())))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn spreadsheet_cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_not_run_by_a_spreadsheet() {
        assert_eq!(spreadsheet_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_cell("電話で依頼"), "電話で依頼");
        let csv = spreadsheet(&["氏名", "理由"], [["@SUM(A1)", "未登録"]]).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "\u{feff}氏名,理由\n'@SUM(A1),未登録\n");
    }

    #[test]
    fn utf8_is_told_from_shift_jis_across_buffer_ends() {
        // 「あ」 (3 bytes) repeated so that characters straddle every 64 KiB read.
        let text = "あ".repeat(100_000);
        assert!(is_utf8(text.as_bytes()).unwrap());
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!is_utf8(&sjis[..]).unwrap());
        // A file cut inside a character is not UTF-8.
        assert!(!is_utf8(&text.as_bytes()[..text.len() - 1]).unwrap());
        assert!(is_utf8(&b""[..]).unwrap());
    }

    #[test]
    fn a_shift_jis_file_is_streamed_as_utf8() {
        let text = "記号,番号\n12,髙橋﨑子\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let dir = std::env::temp_dir().join(format!("csv-file-test-{}", std::process::id()));
        std::fs::write(&dir, &sjis).unwrap();
        let mut decoded = String::new();
        open(&dir).unwrap().read_to_string(&mut decoded).unwrap();
        std::fs::remove_file(&dir).unwrap();
        assert_eq!(decoded, text);
    }
}
