//! The pulls from AWS: usage from CloudWatch into the usage store, and prices from the Price
//! List into a new snapshot. Each runs as a task on the async runtime, off the UI thread,
//! reports its progress as [`PROGRESS_EVENT`] events, and can be cancelled. Both use cases
//! write only once everything has been read (the usage store's months replaced all or
//! nothing, a snapshot installed by rename), and a cancelled task is dropped at a point where
//! it is waiting on AWS, so a Cancel leaves the stores as they were.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ladderwise_app::{ErrorKind, snapshots, usage};
use ladderwise_aws::{Connection, Progress};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::commands::Prices;
use crate::ipc::usage::{PROGRESS_EVENT, PullDone, PullProgress, RefreshRequest, UsagePullRequest};
use crate::ipc::{self, IpcError};

/// A running pull: cancelled before its task exists, or the task to abort.
enum Running {
    Starting { cancelled: bool },
    Task(tokio::task::AbortHandle),
}

/// The pulls running, by job (`usage`, `prices`); one of each at a time.
#[derive(Default)]
pub struct Pulls {
    running: Mutex<BTreeMap<&'static str, Running>>,
}

impl Pulls {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<&'static str, Running>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `work` as a task of its own; `Err` with code `cancelled` when [`Pulls::cancel`]
    /// stops it first.
    async fn run<T: Send + 'static>(
        &self,
        job: &'static str,
        work: impl Future<Output = Result<T, IpcError>> + Send + 'static,
    ) -> Result<T, IpcError> {
        {
            let mut running = self.lock();
            if running.contains_key(job) {
                return Err(IpcError::new(
                    ErrorKind::BadInput.code(),
                    format!(
                        "a {job} pull is already running\nhint: wait for it to finish, or cancel it"
                    ),
                ));
            }
            running.insert(job, Running::Starting { cancelled: false });
        }
        let task = tauri::async_runtime::spawn(work);
        let abort = task.inner().abort_handle();
        {
            let mut running = self.lock();
            if let Some(Running::Starting { cancelled: true }) = running.get(job) {
                abort.abort();
            }
            running.insert(job, Running::Task(abort));
        }
        let result = task.await;
        self.lock().remove(job);
        match result {
            Ok(r) => r,
            Err(_) => Err(IpcError::new(
                CANCELLED,
                format!("the {job} pull was cancelled: nothing of it was stored"),
            )),
        }
    }

    /// Stops the pull of `job`; `false` when none is running.
    pub fn cancel(&self, job: &str) -> bool {
        let mut running = self.lock();
        match running.get_mut(job) {
            Some(Running::Starting { cancelled }) => {
                *cancelled = true;
                true
            }
            Some(Running::Task(abort)) => {
                abort.abort();
                true
            }
            None => false,
        }
    }
}

/// The error code of a pull stopped by Cancel.
pub const CANCELLED: &str = "cancelled";

/// A connection from what the dialog says: an empty profile is the SDK's default chain.
fn connection(region: String, profile: &str, endpoint_url: Option<String>) -> Connection {
    Connection {
        api_region: region,
        endpoint_url: endpoint_url.filter(|u| !u.trim().is_empty()),
        profile: Some(profile.trim().to_string()).filter(|p| !p.is_empty()),
        ..Connection::default()
    }
}

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn names(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads CloudWatch's usage series into the usage store.
#[tauri::command]
pub async fn usage_pull<R: Runtime>(
    app: AppHandle<R>,
    request: UsagePullRequest,
    pulls: State<'_, Pulls>,
) -> Result<PullDone, IpcError> {
    let now = i64::try_from(since_epoch().as_millis()).unwrap_or(i64::MAX);
    let blank = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
    let (from_ms, to_ms) = usage::pull_window(
        blank(&request.from).as_deref(),
        blank(&request.to).as_deref(),
        now,
    )?;
    let req = usage::PullRequest {
        connection: connection(request.region, &request.profile, request.endpoint_url),
        distributions: names(request.distributions),
        queues: names(request.queues),
        buckets: names(request.buckets),
        from_ms,
        to_ms,
    };
    let work = async move {
        let report = usage::pull(&req, |p| {
            let message = match p {
                Progress::Checking { service_code } => format!("listing {service_code} metrics"),
                Progress::Page { page, records, .. } => {
                    format!("GetMetricData page {page}, {records} datapoints")
                }
            };
            let _ = app.emit(
                PROGRESS_EVENT,
                PullProgress {
                    job: "usage",
                    message,
                },
            );
        })
        .await?;
        Ok(PullDone {
            summary: report.summary(),
        })
    };
    pulls.run("usage", work).await
}

/// What a refresh of the prices did, and what it does to the open scenarios.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Refreshed {
    /// The prices now in use, for the Pricing view.
    pub pricing: ipc::Pricing,
    /// `ladderwise pricing diff` of the previous snapshot and the new one, with the open
    /// scenarios priced under both.
    pub diff: String,
    /// Prices the Price List lacked, carried over from the previous snapshot.
    pub carried: Vec<String>,
}

/// Pulls today's prices into a new snapshot and makes it current, for the CLI too.
#[tauri::command]
pub async fn refresh_prices<R: Runtime>(
    app: AppHandle<R>,
    request: RefreshRequest,
    prices: State<'_, Prices>,
    pulls: State<'_, Pulls>,
) -> Result<Refreshed, IpcError> {
    let mut open = Vec::new();
    for s in &request.scenarios {
        open.push((
            s.label.clone(),
            ipc::scenario_of(&s.label, &s.text, "priced")?,
        ));
    }
    let (id, created) = snapshots::snapshot_id_at(since_epoch());
    let req = snapshots::RefreshRequest {
        connection: connection("us-east-1".into(), &request.profile, request.endpoint_url),
        region: request.region,
        services: snapshots::default_services()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        strict: false,
        id,
        created,
    };
    let before = prices.get();
    let old_book = before.book.clone();
    let work = async move {
        let done = snapshots::refresh(&req, |p| {
            let message = match p {
                Progress::Checking { service_code } => {
                    format!("checking {service_code} in the Price List")
                }
                Progress::Page {
                    service_code,
                    page,
                    records,
                } => format!("{service_code}: page {page}, {records} records"),
            };
            let _ = app.emit(
                PROGRESS_EVENT,
                PullProgress {
                    job: "prices",
                    message,
                },
            );
        })
        .await?;
        let new_book = snapshots::current_book()?;
        Ok((done, new_book))
    };
    let (done, new_book) = pulls.run("prices", work).await?;
    let report = snapshots::diff_books(old_book, new_book.clone(), &open);
    let pricing = ipc::pricing(&new_book, None);
    prices.replace(new_book);
    Ok(Refreshed {
        pricing,
        diff: ladderwise_app::export::price_diff_table(&report),
        carried: done.carried.iter().map(|c| c.to_string()).collect(),
    })
}

/// Stops the pull of `job` (`usage` or `prices`); `false` when none was running.
#[tauri::command]
pub fn cancel_pull(job: String, pulls: State<'_, Pulls>) -> bool {
    pulls.cancel(&job)
}
