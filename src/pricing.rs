//! `ladderwise pricing …`: refresh, list, use, show and diff price snapshots.

use std::fmt::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Subcommand;
use ladderwise_app::AppError;
use ladderwise_app::export;
use ladderwise_app::snapshots::{self, RefreshRequest};
use ladderwise_aws::{Connection, Progress};
use ladderwise_model::PriceBook;
use ladderwise_model::engine::Service;
use ladderwise_model::tiers::range_text;

use crate::Format;

#[derive(Subcommand)]
pub enum PricingCommand {
    /// Pull today's prices from the AWS Price List into a new snapshot and make it current.
    /// The previous snapshot stays, untouched, whatever happens.
    Refresh {
        /// The Region whose prices are pulled.
        #[arg(long, default_value = "us-east-1")]
        region: String,
        /// Service codes to pull (the rest are carried over); default: every live service.
        #[arg(long, value_delimiter = ',')]
        services: Vec<String>,
        /// The Price List API endpoint, e.g. a local test endpoint.
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// A named profile of the AWS config and credentials files.
        #[arg(long)]
        profile: Option<String>,
        /// The Price List API's own Region: us-east-1, ap-south-1 or eu-central-1.
        #[arg(long, default_value = "us-east-1")]
        api_region: String,
        /// Seconds one attempt of one call may take.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Fail (exit 5, nothing changed) when the Price List lacks a price the model uses,
        /// instead of carrying it over from the snapshot in use.
        #[arg(long)]
        strict: bool,
    },
    /// List the snapshots: the shipped one and those pulled, which is current, their dates.
    List,
    /// Make a snapshot current (`shipped` for the built-in one).
    Use { snapshot: String },
    /// Show the rates the model uses from one service, per tier, with SKUs and provenance.
    Show {
        /// Service code or name, e.g. AmazonCloudFront or cloudfront.
        service: String,
        /// A snapshot id, directory or `shipped`; default: the current one.
        #[arg(long)]
        snapshot: Option<String>,
    },
    /// What changed between two snapshots, and what it does to scenarios' monthly totals.
    Diff {
        old: String,
        new: String,
        /// Scenario files to price under both snapshots.
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

pub fn run(command: PricingCommand) -> Result<String, AppError> {
    match command {
        PricingCommand::Refresh {
            region,
            services,
            endpoint_url,
            profile,
            api_region,
            timeout,
            strict,
        } => refresh(
            RefreshArgs {
                region,
                services,
                endpoint_url,
                profile,
                api_region,
                timeout,
            },
            strict,
        ),
        PricingCommand::List => list(),
        PricingCommand::Use { snapshot } => {
            let book = snapshots::use_snapshot(&snapshot)?;
            Ok(format!(
                "snapshot {} (created {}) is now current\n",
                book.snapshot.id, book.snapshot.created
            ))
        }
        PricingCommand::Show { service, snapshot } => {
            let book = match snapshot {
                Some(s) => snapshots::resolve(&s)?,
                None => snapshots::current_book()?,
            };
            show(&book, &service)
        }
        PricingCommand::Diff {
            old,
            new,
            scenarios,
            format,
        } => {
            let report = snapshots::diff(&old, &new, &scenarios)?;
            Ok(match format {
                Format::Table => export::price_diff_table(&report),
                Format::Json => export::price_diff_json(&report),
                Format::Csv => export::price_diff_csv(&report),
            })
        }
    }
}

/// The current time as `(snapshot id, ISO 8601)`, in UTC.
fn now() -> (String, String) {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    snapshots::snapshot_id_at(since)
}

/// Where and what a refresh pulls.
struct RefreshArgs {
    region: String,
    services: Vec<String>,
    endpoint_url: Option<String>,
    profile: Option<String>,
    api_region: String,
    timeout: u64,
}

fn refresh(args: RefreshArgs, strict: bool) -> Result<String, AppError> {
    let RefreshArgs {
        region,
        services,
        endpoint_url,
        profile,
        api_region,
        timeout,
    } = args;
    if !ladderwise_aws::API_REGIONS.contains(&api_region.as_str()) {
        return Err(AppError::ApiRegion(api_region));
    }
    let services = if services.is_empty() {
        snapshots::default_services()
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        services
    };
    let (id, created) = now();
    let req = RefreshRequest {
        connection: Connection {
            api_region,
            endpoint_url,
            profile,
            attempt_timeout: Duration::from_secs(timeout.max(1)),
            ..Connection::default()
        },
        region,
        services,
        strict,
        id,
        created,
    };
    let bar = crate::render::spinner("");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AppError::Runtime)?;
    let result = runtime.block_on(snapshots::refresh(&req, |p| match p {
        Progress::Checking { service_code } => {
            bar.set_message(format!("checking {service_code} in the Price List"))
        }
        Progress::Page {
            service_code,
            page,
            records,
        } => bar.set_message(format!("{service_code}: page {page}, {records} records")),
    }));
    bar.finish_and_clear();
    let done = result?;
    let mut out = format!(
        "pulled {} service(s) from the AWS Price List for {}:\n",
        done.pulled.len(),
        req.region
    );
    for (service, records, pages) in &done.pulled {
        let _ = writeln!(
            out,
            "  {service:<26} {records:>4} records kept, {pages} page(s)"
        );
    }
    if !done.kept.is_empty() {
        let _ = writeln!(
            out,
            "kept from {} (not pulled): {}",
            done.previous,
            done.kept.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "snapshot {} is now current ({}); {} is kept",
        done.id,
        done.path.display(),
        done.previous
    );
    if done.carried.is_empty() {
        let _ = writeln!(
            out,
            "every price the model uses was found in the Price List"
        );
    } else {
        let _ = writeln!(
            out,
            "{} price(s) not found in the Price List, carried over from {} and marked so (`--strict` refuses them):",
            done.carried.len(),
            done.previous
        );
        for c in &done.carried {
            let _ = writeln!(out, "  {c}");
        }
    }
    Ok(out)
}

fn list() -> Result<String, AppError> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<26} {:<22} {:>8}  where",
        "snapshot", "created", "records"
    );
    for e in snapshots::list()? {
        let mark = if e.current { "*" } else { " " };
        let place = match (&e.path, &e.problem) {
            (_, Some(problem)) => format!("unusable: {problem}"),
            (Some(p), None) => p.display().to_string(),
            (None, None) => "built in".to_string(),
        };
        let _ = writeln!(
            out,
            "{mark} {:<26} {:<22} {:>8}  {place}",
            e.id, e.created, e.records
        );
    }
    let _ = writeln!(out, "\n* = in use; `ladderwise pricing use ID` changes it");
    Ok(out)
}

fn show(book: &PriceBook, name: &str) -> Result<String, AppError> {
    let service = Service::from_name(name).ok_or_else(|| AppError::UnknownService {
        name: name.to_string(),
        known: snapshots::all_services()
            .iter()
            .map(|s| s.to_string())
            .collect(),
    })?;
    let mut out = format!(
        "{} ({}) in snapshot {} (created {})\n",
        service.name(),
        service.code(),
        book.snapshot.id,
        book.snapshot.created
    );
    let mut records: Vec<_> = book
        .records()
        .iter()
        .filter(|r| r.service_code == service.code())
        .collect();
    records.sort_by(|a, b| a.usage_type.cmp(&b.usage_type));
    for r in records {
        let place = ["regionCode", "location", "fromRegionCode"]
            .iter()
            .find_map(|k| r.attributes.get(*k))
            .map_or(String::new(), |l| format!(" · {l}"));
        let operation = r
            .attributes
            .get("operation")
            .filter(|o| !o.is_empty())
            .map_or(String::new(), |o| format!(" (operation {o})"));
        let p = &r.provenance;
        let _ = writeln!(
            out,
            "\n  {}{operation} · SKU {}{place} · per {} · [{}: {}]",
            r.usage_type,
            r.sku,
            r.unit,
            p.status,
            book.source_text(&p.source)
        );
        if p.needs_confirmation()
            && let Some(note) = &p.note
        {
            let _ = writeln!(out, "      {}: {note}", confirmation(p));
        }
        for t in &r.tiers {
            let range = range_text(t.begin, t.end);
            // Bands whose figures come from another source say so.
            let band = p
                .tiers
                .iter()
                .filter(|b| b.begin <= t.begin)
                .max_by_key(|b| b.begin)
                .map_or(String::new(), |b| {
                    format!("  [{}: {}]", b.status, book.source_text(&b.source))
                });
            let _ = writeln!(
                out,
                "      {range:<28} ${}{band}",
                t.usd_per_unit.normalize()
            );
        }
    }
    Ok(out)
}

/// How `pricing show` flags a price to confirm.
fn confirmation(p: &ladderwise_model::pricebook::Provenance) -> &'static str {
    if p.carried_from.is_some() {
        "CARRIED OVER"
    } else {
        "UNVERIFIED"
    }
}
