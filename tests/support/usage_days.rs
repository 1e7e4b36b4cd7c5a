//! Usage datapoints, a day at a time, whose month reproduces the UGC scenario's own drivers
//! (tests/usage.rs works the numbers out by hand). Per day: 300,000 watched minutes sent as
//! 5,642,762,400,000 bytes; 1,000,000 requests at a 96 % hit rate; 2,000 minutes of content,
//! 120,000,000 ms of HD and of SD output; a library of 36,940,320,000,000 bytes in S3 Standard.

/// The CSV of those datapoints on each of `days` (`YYYY-MM-DD`), header first.
pub fn csv(days: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("timestamp,namespace,metric,dimensions,statistic,value\n");
    let cf = "DistributionId=E2EXAMPLE;Region=Global";
    let q = "Queue=arn:aws:mediaconvert:us-east-1:111122223333:queues/Default";
    let s3 = "BucketName=ugc-media;StorageType=StandardStorage";
    for day in days {
        let ts = format!("{day}T00:00:00Z");
        for (ns, metric, dims, stat, value) in [
            (
                "AWS/CloudFront",
                "BytesDownloaded",
                cf,
                "Sum",
                "5642762400000",
            ),
            ("AWS/CloudFront", "Requests", cf, "Sum", "1000000"),
            ("AWS/CloudFront", "CacheHitRate", cf, "Average", "96"),
            (
                "AWS/MediaConvert",
                "HDOutputDuration",
                q,
                "Sum",
                "120000000",
            ),
            (
                "AWS/MediaConvert",
                "SDOutputDuration",
                q,
                "Sum",
                "120000000",
            ),
            ("AWS/S3", "BucketSizeBytes", s3, "Average", "36940320000000"),
        ] {
            out.push_str(&format!("{ts},{ns},{metric},{dims},{stat},{value}\n"));
        }
    }
    out
}
