//! A CSV export, plain or gzipped, read record by record with the `csv` crate: one record is
//! held at a time, and what is kept of the file is its groups (`read::Group`: a month,
//! account, Region, service, usage type, unit, currency and charge category each, with their
//! sums), as many for a million lines as for a thousand. The groups are checked and added up
//! as a Parquet file's are (`read::add_group`), once the whole file is read.
//!
//! Every column is text, as in the file: an empty field has no value, account ids keep their
//! leading zeros, and an amount is read as a number here, so that text that is no number is
//! found and named (with its line: a record's line in the file, the header being line 1,
//! a quoted field over two lines counted as two). A record shorter than the header has no
//! value in the columns it lacks; fields past the header's are not read. A file is gzipped
//! when it starts as gzip does, whatever its name. The whole file must be UTF-8, as AWS
//! writes it.
//!
//! A line is refused as soon as it is read when its month or currency is missing or wrong (a
//! time not in UTC would make a group of its own, and a file of them as many groups as lines).
//! Text that is no number fails the file too, once the rest of it is read: the error says how
//! many values of the column are no numbers, and the lines of the first three.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use ladderwise_usage::text::first_non_utf8;

use crate::read::{self, BILLED, Columns, FileProgress, FileSummary, Group};
use crate::{ActualsError, Aggregate, modelled_services};

/// Bytes of a file read between two reports of progress (of a gzipped file, compressed
/// bytes).
pub const PROGRESS_BYTES: u64 = 8 << 20;

/// Bytes the reader takes from the file (or the gzip stream) at a time.
const BUFFER: usize = 256 << 10;

/// How many of a column's values that are no numbers the error names.
const NAMED: usize = 3;

/// The bytes every gzip stream starts with (RFC 1952, 2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Reads one CSV export into the aggregate (see the module's documentation), telling
/// `progress` when it starts, every [`PROGRESS_BYTES`] and at the end.
pub(crate) fn read(
    path: &Path,
    agg: &mut Aggregate,
    progress: &mut dyn FnMut(FileProgress),
) -> Result<FileSummary, ActualsError> {
    read_telling_every(path, agg, PROGRESS_BYTES, progress)
}

/// [`read`], telling `progress` every `step` bytes.
fn read_telling_every(
    path: &Path,
    agg: &mut Aggregate,
    step: u64,
    progress: &mut dyn FnMut(FileProgress),
) -> Result<FileSummary, ActualsError> {
    let (source, size) = open(path, step, progress)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(BUFFER)
        .from_reader(source);
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(path, 1, e)),
    };
    if header.iter().all(<[u8]>::is_empty) {
        return Err(ActualsError::UnreadableCsv {
            file: path.to_path_buf(),
            line: 1,
            problem: "the file is empty: it has no header".into(),
        });
    }
    let Ok(names) = header
        .iter()
        .map(std::str::from_utf8)
        .collect::<Result<Vec<&str>, _>>()
    else {
        return Err(not_utf8(path, 1));
    };
    // The line ends: a record ended by `\r\n` is ended by its `\r`, and its `\n` is read
    // with the next record (the `csv` crate's positions are lines counted by `\n`).
    let crlf = reader.position().line() == 1;
    read::refuse_reserved(path, names.iter().copied())?;
    if let Some(separator) = other_separator(&names) {
        return Err(ActualsError::Separator {
            file: path.to_path_buf(),
            separator: separator.into(),
        });
    }
    let c = read::columns(path, &|name| names.contains(&name))?;
    let at = Fields::of(&c, &names);
    let modelled = modelled_services();

    let mut groups: HashMap<Vec<u8>, Sums> = HashMap::new();
    let mut key = Vec::new();
    let mut bad = NotNumbers::default();
    let mut without_billed_cost = 0u64;
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, reader.position().line(), e)),
        }
        let read_to = reader.position().line();
        let line = || start_line(&record, read_to, crlf);
        if std::str::from_utf8(record.as_slice()).is_err() {
            return Err(not_utf8(path, line()));
        }
        let get = |i: usize| -> Option<&str> {
            record
                .get(i)
                .filter(|f| !f.is_empty())
                .and_then(|f| std::str::from_utf8(f).ok())
        };
        let Some(service) = at.service.iter().find_map(|&i| get(i)) else {
            continue;
        };
        if !modelled.contains(&service) {
            continue;
        }
        let mut values = [None; 4];
        for (k, (source, columns)) in at.numbers.iter().enumerate() {
            values[k] = columns.iter().find_map(|&i| get(i).and_then(number));
            if values[k].is_none()
                && let Some(raw) = get(*source)
            {
                bad.note(k, line(), raw);
            }
        }
        // The file fails: the rest is read only to count the values that are no numbers.
        if bad.first.is_some() {
            continue;
        }
        if values[BILLED].is_none() {
            without_billed_cost += 1;
            continue;
        }
        let month = read::checked_month(
            path,
            &c.month,
            get(at.month).map(read::text_month),
            "charge period start",
        )?;
        let billing_period = match (at.billing, &c.billing) {
            (Some(i), Some(column)) => read::checked_month(
                path,
                column,
                get(i).map(read::text_month),
                "billing period start",
            )?,
            _ => month,
        };
        let Some(currency) = get(at.currency) else {
            return Err(read::no_currency(path, c.format));
        };
        let parts = [
            Some(month),
            Some(billing_period),
            get(at.account),
            at.region.and_then(get),
            Some(service),
            get(at.usage_type),
            get(at.unit),
            Some(currency),
            get(at.category),
            at.class.and_then(get),
        ];
        key.clear();
        for part in parts {
            push_key(&mut key, part);
        }
        if let Some(sums) = groups.get_mut(key.as_slice()) {
            sums.add(&values);
        } else {
            let mut sums = Sums::new(parts, groups.len());
            sums.add(&values);
            groups.insert(key.clone(), sums);
        }
    }
    // The reader holds `progress` (through the file): done with it.
    drop(reader);

    if let Some(k) = bad.first {
        return Err(read::not_numbers(
            path,
            &c.numbers[k].source,
            bad.count[k],
            &bad.places[k],
        ));
    }
    let mut summary = FileSummary {
        path: path.to_path_buf(),
        format: c.format,
        lines: 0,
        lines_without_billed_cost: without_billed_cost,
        billing_periods: Default::default(),
    };
    agg.lines_without_billed_cost += without_billed_cost;
    // In the order the file first has them: the currency first seen is the first line's.
    let mut groups: Vec<Sums> = groups.into_values().collect();
    groups.sort_by_key(|g| g.first);
    for sums in groups {
        read::add_group(path, &c, &sums.group(), agg, &mut summary, &|_| Vec::new())?;
    }
    progress(FileProgress { read: size, size });
    Ok(summary)
}

/// The line `record` starts on in the file: the `csv` crate's position of a record is where
/// the reading of it started, before the `\n` of a `\r\n` that ended the record before it
/// and before the empty lines it skips, so the line is counted back from where the reading
/// ended, `read_to`, by the lines the record's fields hold (a quoted field may hold line
/// ends) and the `\n` that ended it (which a `\r\n` record leaves to the next).
fn start_line(record: &csv::ByteRecord, read_to: u64, crlf: bool) -> u64 {
    let within = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    let before = record.position().map_or(1, |p| p.line());
    if crlf {
        read_to.saturating_sub(within).max(before)
    } else {
        // The last record may end without a `\n`.
        read_to.saturating_sub(within + 1).max(before)
    }
}

/// The file's text, through a gzip decoder when it is gzipped, counting the bytes read from
/// the file for `progress`; and the file's size.
fn open<'a>(
    path: &Path,
    step: u64,
    progress: &'a mut dyn FnMut(FileProgress),
) -> Result<(Box<dyn Read + 'a>, u64), ActualsError> {
    let (file, gzipped) = open_file(path)?;
    let size = file.metadata().map_or(0, |m| m.len());
    progress(FileProgress { read: 0, size });
    let counted = Counting {
        inner: file,
        read: 0,
        reported: 0,
        step: step.max(1),
        size,
        progress,
    };
    let text: Box<dyn Read + 'a> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(counted))
    } else {
        Box::new(counted)
    };
    Ok((text, size))
}

/// The file, at its start, and whether it is gzipped.
fn open_file(path: &Path) -> Result<(File, bool), ActualsError> {
    let io = |source| ActualsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let mut magic = [0u8; 2];
    let gzipped = file.read_exact(&mut magic).is_ok() && magic == GZIP_MAGIC;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok((file, gzipped))
}

/// The file's text again, from its start.
fn text_again(path: &Path) -> Option<Box<dyn BufRead>> {
    let (file, gzipped) = open_file(path).ok()?;
    Some(if gzipped {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

/// A reader of the file that tells `progress` every `step` bytes read.
struct Counting<'a> {
    inner: File,
    read: u64,
    reported: u64,
    step: u64,
    size: u64,
    progress: &'a mut dyn FnMut(FileProgress),
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.reported >= self.step {
            self.reported = self.read;
            (self.progress)(FileProgress {
                read: self.read,
                size: self.size,
            });
        }
        Ok(n)
    }
}

/// A file that is not UTF-8: the file's text is read again to say where (line and column of
/// the first byte that is not), as a scenario's error does. `line`: the record it was found
/// in, should the text not be read again.
fn not_utf8(path: &Path, line: u64) -> ActualsError {
    match text_again(path).and_then(|t| first_non_utf8(t).ok().flatten()) {
        Some(f) => ActualsError::NotUtf8 {
            file: path.to_path_buf(),
            line: f.line,
            column: f.column,
            byte: f.byte,
        },
        None => ActualsError::UnreadableCsv {
            file: path.to_path_buf(),
            line,
            problem: "text that is not UTF-8".into(),
        },
    }
}

/// What the `csv` crate or the gzip decoder could not read, at `line`.
/// The separator a header of one column is written with when it is not a comma: a
/// spreadsheet saving "CSV" in a locale whose list separator is `;` writes every line so.
fn other_separator(names: &[&str]) -> Option<&'static str> {
    let [only] = names else { return None };
    [(';', "semicolons"), ('\t', "tabs"), ('|', "vertical bars")]
        .into_iter()
        .find(|(c, _)| only.split(*c).count() > 2)
        .map(|(_, name)| name)
}

fn csv_error(path: &Path, line: u64, e: csv::Error) -> ActualsError {
    let problem = match e.kind() {
        csv::ErrorKind::Io(e) => e.to_string(),
        _ => e.to_string(),
    };
    ActualsError::UnreadableCsv {
        file: path.to_path_buf(),
        line,
        problem,
    }
}

/// An amount's text as a number, as polars reads text as a double for a Parquet file's
/// text column: "NaN", "inf" and "1e30" are numbers here, and refused as amounts later.
fn number(text: &str) -> Option<f64> {
    text.parse().ok()
}

/// Appends one part of a group's key: whether it has a value, its length and its bytes.
fn push_key(key: &mut Vec<u8>, part: Option<&str>) {
    match part {
        None => key.push(0),
        Some(p) => {
            key.push(1);
            key.extend_from_slice(&(p.len() as u64).to_le_bytes());
            key.extend_from_slice(p.as_bytes());
        }
    }
}

/// Where [`Columns`]' columns are in the file's records.
struct Fields {
    month: usize,
    billing: Option<usize>,
    account: usize,
    region: Option<usize>,
    service: Vec<usize>,
    usage_type: usize,
    unit: usize,
    currency: usize,
    category: usize,
    class: Option<usize>,
    /// Of each amount: where the column its errors name is, and where those it is read from.
    numbers: Vec<(usize, Vec<usize>)>,
}

impl Fields {
    /// `names`: the header. A column named twice is read where it is first.
    fn of(c: &Columns, names: &[&str]) -> Fields {
        // `columns` took only columns the header has.
        let at = |name: &str| names.iter().position(|n| *n == name).unwrap_or(usize::MAX);
        let all = |names: &[String]| names.iter().map(|n| at(n)).collect::<Vec<_>>();
        Fields {
            month: at(&c.month),
            billing: c.billing.as_deref().map(at),
            account: at(&c.account),
            region: c.region.as_deref().map(at),
            service: all(&c.service),
            usage_type: at(&c.usage_type),
            unit: at(&c.unit),
            currency: at(&c.currency),
            category: at(&c.category),
            class: c.class.as_deref().map(at),
            numbers: c
                .numbers
                .iter()
                .map(|n| (at(&n.source), all(&n.columns)))
                .collect(),
        }
    }
}

/// Values that are no numbers, by amount: how many, where the first are, and which amount's
/// came first.
#[derive(Default)]
struct NotNumbers {
    count: [u64; 4],
    places: [Vec<String>; 4],
    first: Option<usize>,
}

impl NotNumbers {
    fn note(&mut self, k: usize, line: u64, raw: &str) {
        self.count[k] += 1;
        if self.places[k].len() < NAMED {
            self.places[k].push(format!("line {line}: `{raw}`"));
        }
        self.first.get_or_insert(k);
    }
}

/// One group as it is added up: its key's parts, where the file first has it, its lines, and
/// of each amount the sum (compensated: a million lines add up as exactly as a double can
/// hold) and how many lines had none.
struct Sums {
    parts: [Option<String>; 10],
    /// How many groups the file had before this one.
    first: usize,
    lines: u64,
    sums: [(f64, f64); 4],
    nulls: [u64; 4],
}

impl Sums {
    fn new(parts: [Option<&str>; 10], first: usize) -> Sums {
        Sums {
            parts: parts.map(|p| p.map(str::to_string)),
            first,
            lines: 0,
            sums: [(0.0, 0.0); 4],
            nulls: [0; 4],
        }
    }

    fn add(&mut self, values: &[Option<f64>; 4]) {
        self.lines += 1;
        for (k, v) in values.iter().enumerate() {
            match v {
                // Neumaier's compensated sum.
                Some(v) => {
                    let (sum, carry) = &mut self.sums[k];
                    let t = *sum + v;
                    *carry += if sum.abs() >= v.abs() {
                        (*sum - t) + v
                    } else {
                        (v - t) + *sum
                    };
                    *sum = t;
                }
                None => self.nulls[k] += 1,
            }
        }
    }

    fn group(self) -> Group {
        let [
            month,
            billing_period,
            account_id,
            region,
            service_code,
            usage_type,
            unit,
            currency,
            charge_category,
            charge_class,
        ] = self.parts;
        Group {
            month,
            billing_period,
            account_id,
            region,
            service_code,
            usage_type,
            unit,
            currency,
            charge_category,
            charge_class,
            no_billed_cost: false,
            lines: self.lines,
            sums: self.sums.map(|(sum, carry)| sum + carry),
            nulls: self.nulls,
            bad: [0; 4],
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::path::PathBuf;

    use super::*;

    const HEADER: &str = "BilledCost,BillingCurrency,ChargeCategory,ChargePeriodStart,EffectiveCost,ListCost,PricingQuantity,PricingUnit,RegionId,ServiceName,SubAccountId,x_ServiceCode,x_UsageType,Tags\n";

    /// Line `i` of a FOCUS export: four services (one not modelled), three accounts, two
    /// months, and a quoted field over two lines every tenth line.
    fn line(i: usize) -> String {
        let (service, usage_type, unit) = [
            ("AmazonCloudFront", "US-DataTransfer-Out-Bytes", "GB"),
            ("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo"),
            (
                "AWSElementalMediaConvert",
                "IAD-B-AVC-HD-S-30-NTM",
                "minutes",
            ),
            ("AmazonEC2", "BoxUsage:m7g.large", "Hrs"),
        ][i % 4];
        let tags = if i.is_multiple_of(10) {
            "\"{\"\"team\"\":\n\"\"video\"\"}\""
        } else {
            ""
        };
        let cost = (i % 97) as f64 * 0.013;
        format!(
            "{cost},USD,Usage,2026-{:02}-{:02}T00:00:00Z,{cost},{cost},{},{unit},us-east-1,{service},00012345678{},{service},{usage_type},{tags}\n",
            9 + (i / 4) % 2,
            1 + i % 28,
            i % 13,
            i % 3,
        )
    }

    fn scratch(name: &str) -> PathBuf {
        // One folder for the process; each test names its files apart.
        let dir =
            std::env::temp_dir().join(format!("ladderwise-csv-export-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    /// Writes `text` to `name`, gzipped when the name ends in `.gz`.
    fn write(name: &str, text: &str) -> PathBuf {
        let path = scratch(name);
        let bytes = if name.ends_with(".gz") {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(text.as_bytes()).unwrap();
            gz.finish().unwrap()
        } else {
            text.as_bytes().to_vec()
        };
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn export(lines: usize) -> String {
        HEADER.to_string() + &(0..lines).map(line).collect::<String>()
    }

    fn read_all(path: &Path, step: u64) -> (FileSummary, Vec<crate::ActualRow>, Vec<FileProgress>) {
        let mut agg = Aggregate::default();
        let mut told = Vec::new();
        let summary = read_telling_every(path, &mut agg, step, &mut |p| told.push(p)).unwrap();
        (summary, agg.rows(), told)
    }

    #[test]
    fn a_gzipped_file_reads_as_the_plain_one_and_both_tell_their_progress() {
        let text = export(3000);
        let plain = write("focus.csv", &text);
        // Gzipped is told by its first bytes, not its name.
        let gzipped = write("focus.csv.gz", &text);
        let named_plain = scratch("gzipped.csv");
        std::fs::copy(&gzipped, &named_plain).unwrap();
        let (summary, rows, _) = read_all(&plain, 16 << 10);
        // Three of every four lines are of modelled services.
        assert_eq!(summary.lines, 2250);
        assert_eq!(summary.format, crate::Format::Focus);
        assert_eq!(
            summary.billing_periods.keys().collect::<Vec<_>>(),
            ["2026-09", "2026-10"]
        );
        // 3 services × 2 months × 3 accounts.
        assert_eq!(rows.len(), 18);
        assert!(rows.iter().all(|r| r.line_items == 125));
        for other in [&gzipped, &named_plain] {
            let (s, r, _) = read_all(other, 16 << 10);
            assert_eq!((s.lines, r), (summary.lines, rows.clone()));
        }

        for path in [&plain, &gzipped] {
            let size = std::fs::metadata(path).unwrap().len();
            let (_, _, told) = read_all(path, 1 << 10);
            assert_eq!(told.first(), Some(&FileProgress { read: 0, size }));
            assert_eq!(told.last(), Some(&FileProgress { read: size, size }));
            assert!(told.len() > 2, "{told:?}");
            assert!(told.windows(2).all(|w| w[0].read <= w[1].read), "{told:?}");
            assert!(told.iter().all(|p| p.size == size && p.read <= size));
        }
    }

    #[test]
    fn values_that_are_no_numbers_are_counted_and_named_by_their_line() {
        let mut text = HEADER.to_string();
        for i in 0..40 {
            let mut l = line(i);
            if [3, 7, 8, 26, 33, 37].contains(&i) {
                let cost = l.split(',').next().unwrap().to_string();
                l = l.replacen(&cost, &format!("x{i}"), 1);
            }
            text += &l;
        }
        // Line i of the export starts on line 2 + i of the file, and one further for each
        // two-line record before it (lines 0, 10, 20, 30); lines 3 and 7 are EC2's, not read,
        // and the fourth value, line 37's, is counted, not named.
        let said = |lines: [u64; 3]| {
            format!(
                "column `BilledCost`: 4 value(s) that are not numbers (the first at line {}: `x8`; then line {}: `x26`, line {}: `x33`)",
                lines[0], lines[1], lines[2]
            )
        };
        // The same lines with `\r\n` ends (in the quoted field too); with two empty lines
        // before line 20 of the export, which are lines of the file and no records; and
        // without a line end after the last record.
        let crlf = text.replace('\n', "\r\n");
        let at = text.find(&line(20)).unwrap();
        let empty = format!("{}\n\n{}", &text[..at], &text[at..]);
        let empty_crlf = empty.replace('\n', "\r\n");
        let unended = text.trim_end().to_string();
        for (name, text, lines) in [
            ("words.csv", &text, [11, 31, 39]),
            ("words.csv.gz", &text, [11, 31, 39]),
            ("crlf.csv", &crlf, [11, 31, 39]),
            ("crlf.csv.gz", &crlf, [11, 31, 39]),
            ("empty-lines.csv", &empty, [11, 33, 41]),
            ("empty-lines-crlf.csv", &empty_crlf, [11, 33, 41]),
            ("unended.csv", &unended, [11, 31, 39]),
        ] {
            let path = write(name, text);
            let e = read(&path, &mut Aggregate::default(), &mut |_| {})
                .unwrap_err()
                .to_string();
            assert!(e.contains(&said(lines)), "{name}: {e}");
        }
        // A last record without a line end after it.
        for (name, text) in [
            (
                "last.csv",
                format!("{HEADER}{}x{}", line(0), line(1).trim_end()),
            ),
            (
                "last-crlf.csv",
                format!("{HEADER}{}x{}", line(0), line(1).trim_end()).replace('\n', "\r\n"),
            ),
        ] {
            let path = write(name, &text);
            let e = read(&path, &mut Aggregate::default(), &mut |_| {})
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("1 value(s) that are not numbers (at line 4: `x"),
                "{name}: {e}"
            );
        }
    }

    #[test]
    fn a_file_saved_with_another_separator_is_named_so() {
        for (separator, named) in [(";", "semicolons"), ("\t", "tabs")] {
            let path = write("semicolons.csv", &export(3).replace(',', separator));
            let e = read(&path, &mut Aggregate::default(), &mut |_| {}).unwrap_err();
            assert!(e.is_bad_input());
            let e = e.to_string();
            assert!(
                e.contains(&format!(
                    ":1: the columns are separated by {named}, not by commas"
                )),
                "{e}"
            );
        }
    }

    #[test]
    fn a_line_is_refused_as_soon_as_its_month_or_currency_is_wrong() {
        for (from, to, says) in [
            (
                "2026-09-02T00:00:00Z",
                "2026-09-02T23:00:00-05:00",
                "column `ChargePeriodStart`: `2026-09-02T23:00:00-05:00` is not in UTC",
            ),
            (
                "2026-09-02T00:00:00Z",
                "",
                "a line has no charge period start",
            ),
            (
                ",USD,",
                ",,",
                "column `BillingCurrency`: a line has no currency",
            ),
        ] {
            let text = export(10);
            // Line 1 of the export: S3's, 2 September.
            let at = text.find(&line(1)).unwrap();
            let changed = line(1).replacen(from, to, 1);
            let text = format!("{}{changed}{}", &text[..at], &text[at + line(1).len()..]);
            let path = write("refused.csv", &text);
            let e = read(&path, &mut Aggregate::default(), &mut |_| {})
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{e}");
        }
    }

    #[test]
    fn text_that_is_not_utf8_or_a_broken_gzip_stream_is_named() {
        let mut bytes = export(20).into_bytes();
        let at = bytes.len() - 30;
        bytes[at] = 0xDC;
        let text = latin1(&bytes);
        let plain = scratch("latin1.csv");
        std::fs::write(&plain, &bytes).unwrap();
        let gz = scratch("latin1.csv.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&bytes).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let line = 1 + text[..at].matches('\n').count();
        for path in [&plain, &gz] {
            let e = read(path, &mut Aggregate::default(), &mut |_| {}).unwrap_err();
            assert!(
                matches!(e, ActualsError::NotUtf8 { line: l, byte: 0xDC, .. } if l == line),
                "{e}"
            );
        }

        // A gzipped file cut short.
        let whole = std::fs::read(write("cut.csv.gz", &export(2000))).unwrap();
        let cut = scratch("cut.csv.gz");
        std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
        let e = read(&cut, &mut Aggregate::default(), &mut |_| {}).unwrap_err();
        assert!(matches!(e, ActualsError::UnreadableCsv { .. }), "{e}");
        assert!(e.is_bad_input());
        assert!(
            e.to_string()
                .starts_with(&format!("cannot read {} at line ", cut.display())),
            "{e}"
        );
    }

    /// Bytes as text, one character a byte.
    fn latin1(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| b as char).collect()
    }

    #[test]
    fn an_empty_file_is_said_to_be_empty() {
        for name in ["empty.csv", "empty.csv.gz", "blank.csv"] {
            let path = write(name, if name == "blank.csv" { "\n\n" } else { "" });
            let e = read(&path, &mut Aggregate::default(), &mut |_| {}).unwrap_err();
            assert!(
                e.to_string().contains("at line 1: the file is empty"),
                "{e}"
            );
        }
    }

    #[test]
    fn short_records_lack_values_and_long_ones_are_read() {
        // The tags column is left out of one line and doubled in another; an empty line is
        // no record.
        let mut text = export(8);
        text += &line(9).replacen(",\n", "\n", 1);
        text += "\n";
        text += &line(13).replacen(",\n", ",,extra\n", 1);
        let path = write("ragged.csv", &text);
        let (summary, _, _) = read_all(&path, 1 << 20);
        assert_eq!(summary.lines, 6 + 1 + 1);
    }
}
