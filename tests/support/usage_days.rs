//! Usage datapoints, a day at a time, whose month reproduces the UGC scenario's own drivers
//! (tests/usage.rs works the numbers out by hand). Per day: 300,000 watched minutes sent as
//! 5,642,762,400,000 bytes; 1,000,000 requests at a 96 % hit rate; 2,000 minutes of content,
//! 120,000,000 ms of HD and of SD output; 37,863,828,000,000 bytes in S3 Standard (a library of
//! 1,200,000 minutes, and the month's 60,000 minutes of uploads held half the month on average).

/// One series' datapoint of a day: namespace, metric, dimensions, the statistic a usage CSV
/// names, value.
pub type Datum = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
    f64,
);

/// The datapoints of a day.
pub const SERIES: [Datum; 6] = [
    (
        "AWS/CloudFront",
        "BytesDownloaded",
        CLOUDFRONT,
        "Sum",
        5_642_762_400_000.0,
    ),
    ("AWS/CloudFront", "Requests", CLOUDFRONT, "Sum", 1_000_000.0),
    (
        "AWS/CloudFront",
        "CacheHitRate",
        CLOUDFRONT,
        "Average",
        96.0,
    ),
    (
        "AWS/MediaConvert",
        "HDOutputDuration",
        QUEUE,
        "Sum",
        120_000_000.0,
    ),
    (
        "AWS/MediaConvert",
        "SDOutputDuration",
        QUEUE,
        "Sum",
        120_000_000.0,
    ),
    (
        "AWS/S3",
        "BucketSizeBytes",
        BUCKET,
        "Average",
        37_863_828_000_000.0,
    ),
];

const CLOUDFRONT: &[(&str, &str)] = &[("DistributionId", "E2EXAMPLE"), ("Region", "Global")];
const QUEUE: &[(&str, &str)] = &[(
    "Queue",
    "arn:aws:mediaconvert:us-east-1:111122223333:queues/Default",
)];
const BUCKET: &[(&str, &str)] = &[
    ("BucketName", "ugc-media"),
    ("StorageType", "StandardStorage"),
];

/// The CSV of those datapoints on each of `days` (`YYYY-MM-DD`), header first.
pub fn csv(days: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("timestamp,namespace,metric,dimensions,statistic,value\n");
    for day in days {
        let ts = format!("{day}T00:00:00Z");
        for (ns, metric, dims, stat, value) in SERIES {
            let dims: Vec<String> = dims.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let dims = dims.join(";");
            out.push_str(&format!("{ts},{ns},{metric},{dims},{stat},{value}\n"));
        }
    }
    out
}
