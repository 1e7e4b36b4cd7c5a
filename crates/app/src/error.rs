//! One error type for the use cases, and the kinds it falls into. The kind alone decides the
//! CLI's exit code and the desktop app's error code, so both faces classify every error the
//! same way and a new error needs one line here.

use std::path::PathBuf;

use ladderwise_charts::ChartError;
use ladderwise_model::PriceBookError;
use ladderwise_model::ScenarioErrors;
use ladderwise_model::sweep::SweepError;
use ladderwise_model::units::{Usd, format_quantity};
use rust_decimal::Decimal;

/// What kind of failure an error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A failure of the program itself, or of the machine under it (a full disk).
    Internal,
    /// What the user gave: a scenario, an argument, a file to read or a place to write.
    BadInput,
    /// A plan over its budget, or a change over its threshold (a finding, not a fault).
    OverBudget,
    /// Data on disk that cannot be used: a price snapshot or a store that is unreadable or
    /// inconsistent.
    Data,
    /// AWS: credentials, permissions, throttling, the network, a service's failure or answer.
    Aws,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 5] = [
        ErrorKind::Internal,
        ErrorKind::BadInput,
        ErrorKind::OverBudget,
        ErrorKind::Data,
        ErrorKind::Aws,
    ];

    /// The process exit code of the CLI; 0 is success.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Internal => 1,
            ErrorKind::BadInput => 2,
            ErrorKind::OverBudget => 3,
            ErrorKind::Data => 4,
            ErrorKind::Aws => 5,
        }
    }

    /// The code the desktop app's UI receives.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Internal => "internal",
            ErrorKind::BadInput => "bad_input",
            ErrorKind::OverBudget => "over_budget",
            ErrorKind::Data => "data",
            ErrorKind::Aws => "aws",
        }
    }

    /// What the exit code means, for `--help` and docs/cli.md.
    pub fn meaning(self) -> &'static str {
        match self {
            ErrorKind::Internal => "a failure of ladderwise or of the machine (e.g. a full disk)",
            ErrorKind::BadInput => {
                "bad input: a scenario, an argument, a file to read or a place to write"
            }
            ErrorKind::OverBudget => "over budget: a total or an increase above the limit given",
            ErrorKind::Data => {
                "unusable data: a price snapshot or a local store, or a budget on a total with unpriced lines"
            }
            ErrorKind::Aws => {
                "AWS: credentials, permissions, throttling, the network or a service failure"
            }
        }
    }
}

/// Everything the use cases can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot read {}: {}\nhint: check the path; scenario files are TOML, e.g. scenarios/ugc-short-form.toml", path.display(), os_text(source))]
    ScenarioRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {}: {}\nhint: check the path, and that the file exists and can be read", path.display(), os_text(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A text file (a scenario, a usage CSV) with bytes that are not UTF-8.
    #[error(
        "{}:{line}:{column}: byte 0x{byte:02X} is not UTF-8 text\nhint: save the file as UTF-8 (an editor's \"Save as\" offers the encoding)",
        path.display()
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        byte: u8,
    },
    #[error("cannot read {} (part of ladderwise's data): {}\nhint: check the file's permissions; `ladderwise pricing list` and `usage show` say what is stored", path.display(), os_text(source))]
    ReadData {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {}: {}\nhint: check the path; `ladderwise import` reads MediaConvert job, template or preset JSON, an HLS multivariant playlist or a DASH manifest", path.display(), os_text(source))]
    ImportRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Scenario(#[from] ScenarioErrors),
    /// Both scenarios of a comparison have problems: every one of both, so one run lists
    /// all that needs fixing.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n\n"))]
    Scenarios(Vec<ScenarioErrors>),
    #[error("{0}")]
    Import(#[from] ladderwise_import::ImportError),
    /// The scenario an import would write does not load, though the ladder's values did
    /// (each is checked where the file states it): shown as it would be written.
    #[error(
        "{0}\nnothing was written: the problems above are in the scenario the import would write\nhint: correct the imported file, or import it into another scenario with --into"
    )]
    ImportedScenario(ScenarioErrors),
    /// `import --into` a scenario whose other sections do not hold with the new ladder.
    #[error(
        "{errors}\nnothing was written: with the imported ladder, these lines of {} no longer hold\nhint: change them in {} to suit the new ladder (a forecast event's rungs, say), then import again",
        into.display(),
        into.display()
    )]
    IntoConflicts {
        errors: ScenarioErrors,
        into: PathBuf,
    },
    #[error("price snapshot {origin}: {source}")]
    Pricing {
        origin: String,
        source: PriceBookError,
    },
    #[error("{0}")]
    Sweep(#[from] SweepError),
    #[error(transparent)]
    Forecast(#[from] ladderwise_model::forecast::ForecastError),
    #[error("{0}")]
    Chart(#[from] ChartError),
    #[error(
        "cannot write {}: {}\nhint: {}",
        path.display(),
        os_text(source),
        match source.kind() {
            std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::NotADirectory =>
                "a file is in the way: choose another path, or move the file",
            _ => "check that the directory exists and is writable",
        }
    )]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Standard output failed (a full disk, a closed file); a reader that stops early is
    /// not an error, and the commands that stream turn that case into success.
    #[error(
        "cannot write the output: {0}\nhint: check the disk or the file standard output goes to"
    )]
    Output(std::io::Error),
    #[error("cannot tell the image format of {}\nhint: name the file .svg or .png", .0.display())]
    ImageFormat(PathBuf),
    #[error(
        "no price snapshot `{0}`\nhint: `ladderwise pricing list` shows the snapshots; `shipped` names the one built in"
    )]
    UnknownSnapshot(String),
    /// An id two snapshots share (a copy of one that kept its manifest's id): which one it
    /// means cannot be told, and picking one would price with the other without a word.
    #[error(
        "the snapshot id `{id}` names {} snapshots: {}\nhint: name one by what tells it apart (`shipped`, the store directory or the path), or give the copy an id of its own in its manifest.json",
        places.len(),
        places.join(", ")
    )]
    AmbiguousSnapshot { id: String, places: Vec<String> },
    #[error(
        "the manifest of snapshot {name} is not valid: {message}\nhint: restore it, or `ladderwise pricing use shipped`"
    )]
    SnapshotManifest { name: String, message: String },
    /// The snapshot `current` names (or, with none named, the newest one) does not load:
    /// pricing with another would change every figure without a word.
    #[error(
        "the price snapshot in use, `{id}`, cannot be read: {cause}\nhint: restore its files, or choose a snapshot that loads with `ladderwise pricing use ID` (`ladderwise pricing list` shows each one's problem; `shipped` is built in)"
    )]
    CurrentSnapshot { id: String, cause: String },
    #[error("unknown service `{name}`\nhint: name one of {}", known.join(", "))]
    UnknownService { name: String, known: Vec<String> },
    #[error("unknown AWS Region `{name}`\nhint: {}", match closest {
        Some(c) => format!("did you mean {c}? write an AWS Region code"),
        None => "write an AWS Region code such as us-east-1".to_string(),
    })]
    UnknownRegion {
        name: String,
        closest: Option<&'static str>,
    },
    #[error(
        "the Price List API is not served from {0}\nhint: use --api-region us-east-1, ap-south-1 or eu-central-1"
    )]
    ApiRegion(String),
    #[error(
        "record {index} of {service} from the Price List API is not JSON\nhint: the snapshot was not changed; run the refresh again later"
    )]
    ApiRecord { service: String, index: usize },
    #[error(
        "neither the Price List nor the snapshot in use has {} price(s) the model needs: {}\nhint: the snapshot was not changed; AWS may have renamed these usage types (crates/model/src/engine/usage.rs lists the names looked for)",
        .0.len(), .0.join(", ")
    )]
    MissingPrices(Vec<String>),
    #[error(
        "the Price List lacks {} price(s) the model uses: {}\nhint: the snapshot was not changed; without --strict the refresh carries them over from the snapshot in use and names them",
        .0.len(), .0.join(", ")
    )]
    NotInPriceList(Vec<String>),
    #[error("a snapshot `{0}` exists already\nhint: wait a second and refresh again")]
    SnapshotExists(String),
    #[error(
        "cannot start the network runtime: {0}\nhint: this is a problem of the machine; check the process limits"
    )]
    Runtime(std::io::Error),
    #[error("{0}")]
    Pull(#[from] ladderwise_aws::PullError),
    /// Arguments that do not go together (a chart of one scenario given two).
    #[error("{0}")]
    Arguments(String),
    /// Bad usage input (a CSV line, a month, a date).
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    UsageFrame(#[from] ladderwise_usage::UsageError),
    #[error(transparent)]
    Store(#[from] ladderwise_usage::partitions::StoreError),
    #[error(transparent)]
    Actuals(#[from] ladderwise_actuals::ActualsError),
    #[error(
        "{scenario} costs {shown_total} a month, {over} over the budget of {shown_max}\nhint: the estimate printed above shows where the money goes; `ladderwise sensitivity` shows which input moves the total most",
        shown_total = over_budget(*total, *max)[0],
        shown_max = over_budget(*total, *max)[1],
        over = over_budget(*total, *max)[2]
    )]
    OverBudget {
        scenario: String,
        total: Usd,
        max: Usd,
    },
    #[error(
        "{b} costs {increase} a month more than {a} ({change}), over the allowed increase of {limit} %\nhint: the waterfall printed above shows which changes make the difference",
        change = match percent {
            Some(p) => change_beyond(*p, *max_percent),
            None => "from nothing".to_string(),
        },
        limit = max_percent.normalize()
    )]
    OverIncrease {
        a: String,
        b: String,
        increase: Usd,
        percent: Option<Decimal>,
        max_percent: Decimal,
    },
    #[error(
        "no value of {field} sampled from {} to {} keeps the total at or under {max}: the lowest total found, at {}, is {total}, {over} over\nhint: vary another field (`ladderwise sensitivity` shows which move the total most), raise the budget, or search a narrower range with `--range FROM:TO`",
        format_quantity(*from, 6), format_quantity(*to, 6), format_quantity(*value, 6),
        over = *total - *max
    )]
    NoValueMeets {
        field: String,
        from: Decimal,
        to: Decimal,
        value: Decimal,
        total: Usd,
        max: Usd,
    },
    /// An Athena result whose values are not what the query asked for.
    #[error(
        "the Athena query {query_execution_id} returned rows that cannot be stored: {}\nhint: the query is Ladderwise's own; check that the table is the export the schema names (FOCUS 1.2 or CUR 2.0), and pull one billing currency at a time",
        source.to_string().lines().next().unwrap_or_default()
    )]
    AthenaRows {
        query_execution_id: String,
        source: ladderwise_actuals::ActualsError,
    },
    #[error(
        "the actuals store has no month {month}\nhint: {}",
        if stored.is_empty() {
            "the store is empty: `ladderwise actuals import PATH` or `ladderwise actuals pull --athena …` fills it".to_string()
        } else {
            format!("the store holds {}; `ladderwise actuals show` lists them", stored.join(", "))
        }
    )]
    NoActualsMonth { month: String, stored: Vec<String> },
    /// A budget checked against a total that leaves unpriced lines out: it would pass on a
    /// price missing from the snapshot, so it is refused.
    #[error(
        "cannot check {check}: the total of {scenario} leaves out {lines} line(s) that snapshot {snapshot} has no price for ({services})\nhint: `ladderwise estimate` lists them and why; price them with another Region or service, or with a snapshot that has them (`ladderwise pricing refresh`)"
    )]
    Unpriced {
        check: String,
        scenario: String,
        lines: usize,
        services: String,
        snapshot: String,
    },
    #[error(
        "the actuals of {month} are in {currency} and the plan is in USD\nhint: compare a bill in USD; the store keeps the currency of the export it was filled from"
    )]
    ActualsCurrency { month: String, currency: String },
}

impl AppError {
    pub fn kind(&self) -> ErrorKind {
        use std::io::ErrorKind as Io;
        match self {
            AppError::Read { .. }
            | AppError::ScenarioRead { .. }
            | AppError::NotUtf8 { .. }
            | AppError::ImportRead { .. }
            | AppError::Scenario(_)
            | AppError::Scenarios(_)
            | AppError::ImportedScenario(_)
            | AppError::IntoConflicts { .. }
            | AppError::Sweep(_)
            | AppError::Forecast(_)
            | AppError::ImageFormat(_)
            | AppError::UnknownSnapshot(_)
            | AppError::AmbiguousSnapshot { .. }
            | AppError::UnknownService { .. }
            | AppError::UnknownRegion { .. }
            | AppError::ApiRegion(_)
            | AppError::Usage(_)
            | AppError::Arguments(_)
            | AppError::NoActualsMonth { .. }
            | AppError::ActualsCurrency { .. } => ErrorKind::BadInput,
            // A place the user chose to write that does not take files is their input; a
            // full disk or a failing device is the machine's.
            AppError::Output(_) => ErrorKind::Internal,
            AppError::Write { source, .. } => match source.kind() {
                Io::AlreadyExists
                | Io::NotFound
                | Io::PermissionDenied
                | Io::IsADirectory
                | Io::NotADirectory
                | Io::ReadOnlyFilesystem
                | Io::InvalidFilename => ErrorKind::BadInput,
                _ => ErrorKind::Internal,
            },
            AppError::ReadData { .. }
            | AppError::Unpriced { .. }
            | AppError::Pricing { .. }
            | AppError::SnapshotManifest { .. }
            | AppError::CurrentSnapshot { .. }
            | AppError::UsageFrame(_) => ErrorKind::Data,
            // An Athena query that cannot be built is the user's input; a result that is not
            // what the query asks for is data that cannot be used; the rest is AWS's.
            AppError::Pull(ladderwise_aws::PullError::BadQuery(_)) => ErrorKind::BadInput,
            AppError::Pull(ladderwise_aws::PullError::QueryResult { .. })
            | AppError::AthenaRows { .. } => ErrorKind::Data,
            AppError::Pull(_)
            | AppError::ApiRecord { .. }
            | AppError::MissingPrices(_)
            | AppError::NotInPriceList(_) => ErrorKind::Aws,
            // A size outside the chart's bounds is the user's argument; a failure to draw
            // or encode is the program's.
            AppError::Chart(ladderwise_charts::ChartError::Size(..)) => ErrorKind::BadInput,
            AppError::Chart(_) | AppError::SnapshotExists(_) | AppError::Runtime(_) => {
                ErrorKind::Internal
            }
            AppError::Import(e) => match e.kind() {
                ladderwise_import::ErrorKind::BadInput => ErrorKind::BadInput,
            },
            AppError::Actuals(e) if e.is_bad_input() => ErrorKind::BadInput,
            AppError::Actuals(ladderwise_actuals::ActualsError::Store(e)) | AppError::Store(e) => {
                store_kind(e)
            }
            AppError::Actuals(_) => ErrorKind::Data,
            AppError::OverBudget { .. }
            | AppError::OverIncrease { .. }
            | AppError::NoValueMeets { .. } => ErrorKind::OverBudget,
        }
    }
}

/// An operating system error as a sentence of ours: lower-case, without the error number
/// (`file exists`, not `File exists (os error 17)`).
fn os_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// A local store that cannot be read is unusable data; one that cannot be written is the
/// machine's failure (a full disk, a read-only directory).
fn store_kind(e: &ladderwise_usage::partitions::StoreError) -> ErrorKind {
    use ladderwise_usage::partitions::StoreError;
    match e {
        StoreError::Write { .. } | StoreError::Encode { .. } => ErrorKind::Internal,
        StoreError::Read { .. } | StoreError::List { .. } => ErrorKind::Data,
    }
}

/// A total, the budget it is over and by how much, written so that the three differ as they
/// do ($14,123.429 over $14,123.428 by $0.001, not $14,123.43 by $0.00).
fn over_budget(total: Usd, max: Usd) -> [String; 3] {
    ladderwise_model::units::usd_apart([total, max, total - max])
}

/// A change over `limit` percent, written with the decimals that show it over: +24.843 % over
/// a limit of 24.8 % reads "+24.84 %", not "+24.8 %" (which would be no breach).
fn change_beyond(p: Decimal, limit: Decimal) -> String {
    use rust_decimal::RoundingStrategy;
    let text = ladderwise_model::units::format_change_percent(p);
    let printed = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    if p <= limit || printed > limit {
        return text;
    }
    (2..=6)
        .map(|dp| (dp, p.round_dp_with_strategy(dp, RoundingStrategy::ToZero)))
        .find(|(_, shown)| *shown > limit)
        .map_or(text, |(dp, shown)| {
            format!("+{} %", format_quantity(shown, dp))
        })
}

#[cfg(test)]
mod change_tests {
    use super::change_beyond;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// An increase refused as over the limit never reads as the limit itself.
    #[test]
    fn a_change_over_the_limit_is_written_over_it() {
        assert_eq!(change_beyond(d("24.843"), d("24.8")), "+24.84 %");
        assert_eq!(change_beyond(d("24.8001"), d("24.8")), "+24.8001 %");
        assert_eq!(change_beyond(d("30.06"), d("10")), "+30.1 %");
        assert_eq!(change_beyond(d("5.04"), d("5")), "+5.04 %");
    }
}
