//! `ladderwise pricing …` end to end: the real binary and the real AWS SDK against a local
//! endpoint on 127.0.0.1 that speaks the Price List Query API's protocol (tests/support). Every
//! failure must leave the last good snapshot current and intact.

mod support;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;
use support::home::{Home, text};
use support::price_list_api::{Faults, PriceListApi};

/// The shipped snapshot's id.
const SHIPPED: &str = "shipped-2026-11-30";

/// What the pricing tests add to a test home.
trait PricingHome {
    fn snapshots(&self) -> PathBuf;
    fn refresh(&self, api: &PriceListApi) -> Output;
    fn refresh_with(&self, api: &PriceListApi, args: &[&str]) -> Output;
    fn state(&self) -> Vec<(PathBuf, Vec<u8>)>;
}

impl PricingHome for Home {
    fn snapshots(&self) -> PathBuf {
        self.data().join("ladderwise/snapshots")
    }

    fn refresh(&self, api: &PriceListApi) -> Output {
        self.refresh_with(api, &[])
    }

    fn refresh_with(&self, api: &PriceListApi, args: &[&str]) -> Output {
        let url = api.url();
        let mut all = vec![
            "pricing",
            "refresh",
            "--endpoint-url",
            &url,
            "--timeout",
            "5",
        ];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Every file of every snapshot directory with its bytes, and the current pointer.
    fn state(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![self.snapshots()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    out.push((e.path(), std::fs::read(e.path()).unwrap()));
                }
            }
        }
        out.sort();
        out
    }
}

fn current_id(home: &Home) -> String {
    std::fs::read_to_string(home.snapshots().join("current"))
        .unwrap()
        .trim()
        .to_string()
}

fn estimate_json(home: &Home) -> Value {
    let out = home.run(&["estimate", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_str(&text(&out.stdout)).unwrap()
}

/// A home with one good pulled snapshot, current.
fn with_good_snapshot(name: &str) -> (Home, String) {
    let home = Home::new(name);
    let api = PriceListApi::start(Faults::default(), 4);
    let out = home.refresh(&api);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = current_id(&home);
    (home, id)
}

#[test]
fn a_refresh_pulls_every_page_and_estimate_uses_the_new_snapshot() {
    let home = Home::new("happy");
    let shipped = estimate_json(&home);
    assert_eq!(shipped["snapshot"]["id"], SHIPPED);

    let api = PriceListApi::start(Faults::default(), 4);
    let out = home.refresh(&api);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains("is now current"), "{said}");
    assert!(
        said.contains(&format!("kept from {SHIPPED} (not pulled): AmazonETS")),
        "{said}"
    );
    assert!(
        said.contains("every price the model uses was found in the Price List"),
        "{said}"
    );

    // The SDK followed NextToken: CloudFront's data-transfer family alone is 8 records in
    // pages of 4.
    let received = api.received();
    let tokens = received
        .iter()
        .filter(|r| r.operation == "GetProducts" && r.body["NextToken"].is_string())
        .count();
    assert!(tokens >= 5, "{tokens} follow-up pages");
    // Filters were sent server-side.
    assert!(received.iter().any(|r| {
        r.body["ServiceCode"] == "AmazonS3"
            && r.body["Filters"].as_array().is_some_and(|f| {
                f.iter()
                    .any(|x| x["Field"] == "regionCode" && x["Value"] == "us-east-1")
            })
    }));
    assert!(received.iter().any(|r| r.operation == "DescribeServices"));
    assert!(received.iter().any(|r| r.operation == "GetAttributeValues"));

    let id = current_id(&home);
    assert!(id.starts_with("aws-"), "{id}");
    let pulled = estimate_json(&home);
    assert_eq!(pulled["snapshot"]["id"], id.as_str());
    // Same figures served, same money; the lines now come from Price List records.
    assert_eq!(pulled["total_usd"], shipped["total_usd"]);
    let cf = pulled["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["usage_type"] == "US-DataTransfer-Out-Bytes")
        .unwrap();
    assert_eq!(cf["price_status"], "price-list");
    assert_eq!(cf["provenance"]["source"], "aws-pricing-api");
    // Found by AWS's names among records the model does not price: not the S3 Tables
    // storage that also ends in `TimedStorage-ByteHrs`, nor another Region's Origin Shield.
    let s3 = std::fs::read_to_string(home.snapshots().join(&id).join("AmazonS3.json")).unwrap();
    assert!(s3.contains("TimedStorage-ByteHrs"));
    assert!(
        !s3.contains("Tables-TimedStorage-ByteHrs"),
        "a decoy was kept"
    );
    let cf_file =
        std::fs::read_to_string(home.snapshots().join(&id).join("AmazonCloudFront.json")).unwrap();
    assert!(!cf_file.contains("APN2-Requests-OriginShield"));
    assert!(!cf_file.contains("DataTransfer-Out-OBytes"));
    // Other Regions' prices of the usage types the engine prices are kept, whatever their
    // prefix (KMS names a Region by its code); WAF's too, though the engine bills a web ACL
    // in front of CloudFront in us-east-1: a refresh does not read as removing them.
    let waf = std::fs::read_to_string(home.snapshots().join(&id).join("awswaf.json")).unwrap();
    assert!(waf.contains("USE1-WebACL") && waf.contains("EU-WebACL"));
    for (file, usage_type) in [
        ("awskms.json", "eu-west-1-KMS-Keys"),
        ("awskms.json", "sa-east-1-KMS-Requests"),
    ] {
        let kept = std::fs::read_to_string(home.snapshots().join(&id).join(file)).unwrap();
        assert!(
            kept.contains(usage_type),
            "{usage_type} dropped from {file}"
        );
    }
    // The table names the snapshot used.
    let table = home.run(&["estimate"]);
    assert!(text(&table.stdout).contains(&format!("snapshot {id}")));

    let list = home.run(&["pricing", "list"]);
    let listed = text(&list.stdout);
    assert!(listed.contains(&format!("* {id}")), "{listed}");
    assert!(listed.contains("  shipped"), "{listed}");

    // Back to the shipped prices, and forward again.
    let back = home.run(&["pricing", "use", "shipped"]);
    assert!(back.status.success());
    assert_eq!(estimate_json(&home)["snapshot"]["id"], SHIPPED);
    assert!(home.run(&["pricing", "use", &id]).status.success());
    assert_eq!(estimate_json(&home)["snapshot"]["id"], id.as_str());
}

#[test]
fn a_throttled_call_is_retried_and_succeeds() {
    let home = Home::new("throttle-once");
    let api = PriceListApi::start(
        Faults {
            throttle_first: 1,
            ..Faults::default()
        },
        100,
    );
    let out = home.refresh(&api);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let first_calls = api
        .received()
        .iter()
        .filter(|r| {
            r.operation == "GetProducts" && r.body["ServiceCode"] == "AWSElementalMediaConvert"
        })
        .count();
    assert_eq!(first_calls, 2, "the throttled call was sent again");
}

/// Runs a refresh that must fail and checks the previous snapshot survived it whole. Every
/// such failure is AWS's (throttling, denial, a dropped connection, an answer that cannot be
/// used): exit code 5.
fn check_failure(name: &str, faults: Faults, says: &str) {
    let (home, before) = with_good_snapshot(name);
    let state = home.state();
    let api = PriceListApi::start(faults, 4);
    let out = home.refresh(&api);
    assert_eq!(out.status.code(), Some(5), "{name}: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains(says), "{name}: {err}");
    assert!(err.contains("hint:"), "{name}: {err}");
    assert_eq!(current_id(&home), before, "{name}: current moved");
    assert_eq!(home.state(), state, "{name}: snapshots changed");
    assert_eq!(estimate_json(&home)["snapshot"]["id"], before.as_str());
}

#[test]
fn persistent_throttling_leaves_the_last_snapshot() {
    check_failure(
        "throttled",
        Faults {
            throttle_first: 1000,
            ..Faults::default()
        },
        "kept throttling GetProducts",
    );
}

#[test]
fn a_malformed_record_leaves_the_last_snapshot() {
    check_failure(
        "malformed",
        Faults {
            malformed_service: Some("AmazonS3".into()),
            ..Faults::default()
        },
        "record 1 of AmazonS3 from the Price List API is not JSON",
    );
}

/// A pull that lacks two prices the model uses.
fn lacking_two() -> Faults {
    Faults {
        drop_usage_types: vec![
            "TimedStorage-SIA-ByteHrs".into(),
            "IAD-Normalized-Transcode-Minute-Professional".into(),
        ],
        ..Faults::default()
    }
}

#[test]
fn prices_the_pull_lacks_are_carried_over_and_named() {
    let home = Home::new("carry");
    let api = PriceListApi::start(lacking_two(), 100);
    let out = home.refresh(&api);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    // The command ends with the list of carried prices.
    let tail = said
        .split_once("is now current")
        .map(|(_, t)| t)
        .unwrap_or_default();
    assert!(
        tail.contains(&format!(
            "2 price(s) not found in the Price List, carried over from {SHIPPED}"
        )),
        "{said}"
    );
    assert!(
        tail.contains("AmazonS3 TimedStorage-SIA-ByteHrs in us-east-1"),
        "{said}"
    );
    assert!(
        tail.contains(
            "AWSElementalMediaConvert IAD-Normalized-Transcode-Minute-Professional in us-east-1"
        ),
        "{said}"
    );
    let id = current_id(&home);

    // The manifest marks them, with the day they were missing.
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(home.snapshots().join(&id).join("manifest.json")).unwrap(),
    )
    .unwrap();
    let carried: Vec<&Value> = manifest["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["provenance"].as_object().unwrap().values())
        .filter(|p| p["carried_from"] == SHIPPED)
        .collect();
    assert_eq!(carried.len(), 2, "{carried:?}");
    let day = &id[4..8];
    for p in &carried {
        let note = p["note"].as_str().unwrap();
        assert!(
            note.starts_with(&format!(
                "carried over from {SHIPPED}, not found in the Price List on {day}-"
            )),
            "{note}"
        );
    }

    // An estimate names the carried price on its line and in its warnings.
    let out = home.run(&["estimate", "scenarios/premium-ott.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let e: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let lines = e["lines"].as_array().unwrap();
    let sia = lines
        .iter()
        .find(|l| l["usage_type"] == "TimedStorage-SIA-ByteHrs")
        .unwrap();
    assert!(
        sia["note"].as_str().unwrap().contains("carried over from"),
        "{sia}"
    );
    assert!(
        sia["provenance"]["note"]
            .as_str()
            .unwrap()
            .contains("not found in the Price List")
    );
    // Pulled prices are the Price List's.
    let standard = lines
        .iter()
        .find(|l| l["usage_type"] == "TimedStorage-ByteHrs")
        .unwrap();
    assert_eq!(standard["provenance"]["source"], "aws-pricing-api");
    let warnings = e["warnings"].to_string();
    assert!(
        warnings.contains("prices carried over from an earlier snapshot"),
        "{warnings}"
    );
    // `pricing show` flags them.
    let show = text(&home.run(&["pricing", "show", "s3"]).stdout);
    assert!(show.contains("CARRIED OVER: carried over from"), "{show}");
}

#[test]
fn strict_refuses_to_carry_prices_over_and_changes_nothing() {
    let (home, before) = with_good_snapshot("strict");
    let state = home.state();
    let api = PriceListApi::start(lacking_two(), 100);
    let out = home.refresh_with(&api, &["--strict"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("the Price List lacks 2 price(s)"), "{err}");
    assert!(
        err.contains("AmazonS3 TimedStorage-SIA-ByteHrs in us-east-1"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(current_id(&home), before);
    assert_eq!(home.state(), state, "snapshots changed");
    // With everything in the pull, --strict installs as usual.
    let api = PriceListApi::start(Faults::default(), 100);
    let out = home.refresh_with(&api, &["--strict"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_refresh_for_eu_west_1_takes_its_eu_records_not_cloudfronts() {
    let home = Home::new("eu-west-1");
    let api = PriceListApi::start(Faults::default(), 100);
    // Strict: every price the model uses is in the Price List, WAF's included, which a web
    // ACL in front of CloudFront bills in us-east-1 whatever the pipeline's Region.
    let out = home.refresh_with(&api, &["--region", "eu-west-1", "--strict"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(api.received().iter().any(|r| {
        r.body["ServiceCode"] == "awswaf"
            && r.body["Filters"].as_array().is_some_and(|f| {
                f.iter()
                    .any(|x| x["Field"] == "regionCode" && x["Value"] == "us-east-1")
            })
    }));
    // Other Regions' WAF prices are kept, as every other service's are.
    let id = current_id(&home);
    let waf = std::fs::read_to_string(home.snapshots().join(&id).join("awswaf.json")).unwrap();
    let shipped_waf = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pricing-cache/awswaf.json"),
    )
    .unwrap();
    for usage in ["EU-WebACL", "SAE1-Rule"] {
        assert!(shipped_waf.contains(usage), "{usage}");
        assert!(waf.contains(usage), "{usage} dropped");
    }
    // Data transfer is asked for by the Region it leaves.
    assert!(api.received().iter().any(|r| {
        r.body["ServiceCode"] == "AWSDataTransfer"
            && r.body["Filters"].as_array().is_some_and(|f| {
                f.iter()
                    .any(|x| x["Field"] == "fromLocation" && x["Value"] == "EU (Ireland)")
            })
    }));
    // The default scenario in eu-west-1, served straight from S3.
    let scenario = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/ugc-short-form.toml"),
    )
    .unwrap()
    .replace("region = \"us-east-1\"", "region = \"eu-west-1\"")
    .replace("cdn = \"cloudfront\"", "cdn = \"none\"");
    let file = home.dir.join("ugc-eu.toml");
    std::fs::write(&file, scenario).unwrap();
    let out = home.run(&["estimate", file.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let e: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(e["complete"], true, "{}", e["lines"]);
    let lines = e["lines"].as_array().unwrap();
    let by = |usage: &str| {
        lines
            .iter()
            .find(|l| l["usage_type"] == usage)
            .unwrap_or_else(|| panic!("no {usage} line"))
    };
    // S3's egress is AWS Data Transfer's `EU-DataTransfer-Out-Bytes` (eu-west-1, $0.09 first
    // 10 TB), not CloudFront's record of the same name (edge location Europe, $0.085).
    let dt = by("EU-DataTransfer-Out-Bytes");
    assert_eq!(dt["service"], "AWS Data Transfer");
    assert_eq!(dt["price_status"], "price-list");
    assert_eq!(dt["tiers"][1]["usd_per_unit"], "0.09", "{dt}");
    let shipped_dt: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pricing-cache/AWSDataTransfer.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let eu_sku = shipped_dt["PriceList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["product"]["attributes"]["usagetype"] == "EU-DataTransfer-Out-Bytes")
        .unwrap()["product"]["sku"]
        .clone();
    assert_eq!(dt["sku"], eu_sku);
    for usage in [
        "EU-TimedStorage-ByteHrs",
        "EU-Requests-Tier1",
        "DUB-Normalized-Transcode-Minute-Basic",
        "EU-Group2-ImagesProcessed",
    ] {
        assert_eq!(
            by(usage)["provenance"]["source"],
            "aws-pricing-api",
            "{usage}"
        );
    }
}

#[test]
fn a_dropped_connection_leaves_the_last_snapshot() {
    check_failure(
        "dropped",
        Faults {
            drop_on_page: Some(2),
            ..Faults::default()
        },
        "the AWS API failed on GetProducts",
    );
}

#[test]
fn access_denied_names_the_permission() {
    check_failure(
        "denied",
        Faults {
            access_denied: true,
            ..Faults::default()
        },
        "access denied by AWS for pricing:DescribeServices",
    );
}

#[test]
fn a_renamed_attribute_is_reported_by_name() {
    check_failure(
        "renamed",
        Faults {
            hide_attribute: Some("regionCode".into()),
            ..Faults::default()
        },
        "no longer has the attribute `regionCode`",
    );
}

#[test]
fn without_credentials_the_refresh_fails_fast_and_sends_nothing() {
    let home = Home::new("nocreds");
    let api = PriceListApi::start(Faults::default(), 4);
    let started = std::time::Instant::now();
    let out = home
        .command(&["pricing", "refresh", "--endpoint-url", &api.url()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let err = text(&out.stderr);
    assert!(err.contains("no AWS credentials found"), "{err}");
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
    assert!(api.received().is_empty());
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    assert!(!home.snapshots().join("current").exists());
}

#[test]
fn diff_explains_a_price_change_in_money() {
    let (home, first) = with_good_snapshot("diff");
    // AWS lowers the first CloudFront US tier from $0.085 to $0.080 per GB.
    let api = PriceListApi::start(
        Faults {
            reprice: Some((
                "US-DataTransfer-Out-Bytes".into(),
                "0.0850000000".into(),
                "0.0800000000".into(),
            )),
            ..Faults::default()
        },
        4,
    );
    let out = home.refresh(&api);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let second = current_id(&home);
    let out = home.run(&[
        "pricing",
        "diff",
        &first,
        &second,
        "--scenario",
        "scenarios/ugc-short-form.toml",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("1 re-priced, 0 added, 0 removed"), "{table}");
    assert!(table.contains("$0.085 → $0.08 (-5.88%) per GB"), "{table}");
    // The default scenario sends 85,994.706 GB to the US, 614.4 GB of them free: the first
    // 10,240 billed GB are $0.005 cheaper, $51.20 a month less.
    assert!(table.contains("Amazon CloudFront"), "{table}");
    assert!(table.contains("(-$51.20)"), "{table}");

    let json = home.run(&[
        "pricing",
        "diff",
        &first,
        &second,
        "--scenario",
        "scenarios/ugc-short-form.toml",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text(&json.stdout)).unwrap();
    assert_eq!(v["scenarios"][0]["delta_usd"], "-51.2");
    assert_eq!(v["changes"]["repriced"].as_array().unwrap().len(), 1);
    let csv = home.run(&["pricing", "diff", &first, &second, "--format", "csv"]);
    assert!(text(&csv.stdout).contains("repriced,AmazonCloudFront,US-DataTransfer-Out-Bytes"));
}

#[test]
fn show_lists_a_service_rates_with_skus() {
    let home = Home::new("show");
    let out = home.run(&["pricing", "show", "cloudfront"]);
    assert!(out.status.success());
    let t = text(&out.stdout);
    assert!(t.contains("US-DataTransfer-Out-Bytes"), "{t}");
    assert!(t.contains("10,240–51,200"), "{t}");
    let out = home.run(&["pricing", "show", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("hint:"));
}

/// An edit to a file of the snapshot in use: every command that prices fails naming the
/// snapshot and the file, instead of pricing with other prices; `pricing list` still lists
/// it with its problem, and `pricing use shipped` is the way out.
#[test]
fn a_damaged_current_snapshot_fails_instead_of_switching_prices() {
    let (home, id) = with_good_snapshot("damaged-current");
    let file = home.snapshots().join(&id).join("AmazonCloudFront.json");
    let text_before = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text_before.replacen("0.085", "0.001", 1)).unwrap();

    for args in [
        &["estimate"][..],
        &["estimate", "--format", "json"],
        &["forecast", "--months", "2", "--paths", "10"],
    ] {
        let out = home.run(args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: a data error");
        assert!(out.stdout.is_empty(), "{args:?}: nothing priced");
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "the price snapshot in use, `{id}`, cannot be read"
            )),
            "{args:?}: {err}"
        );
        assert!(err.contains("AmazonCloudFront.json"), "{args:?}: {err}");
        assert!(err.contains("hint: "), "{args:?}: {err}");
    }
    let list = home.run(&["pricing", "list"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let listed = text(&list.stdout);
    assert!(listed.contains(&format!("* {id}")), "{listed}");
    assert!(listed.contains("AmazonCloudFront.json"), "{listed}");

    assert!(home.run(&["pricing", "use", "shipped"]).status.success());
    assert_eq!(estimate_json(&home)["snapshot"]["id"], SHIPPED);

    // With no snapshot chosen, the newest is in use, damaged or not: listed as such, with its
    // problem, and estimates fail naming it rather than take older prices.
    std::fs::remove_file(home.snapshots().join("current")).unwrap();
    let listed = text(&home.run(&["pricing", "list"]).stdout);
    assert!(listed.contains(&format!("* {id}")), "{listed}");
    let out = home.run(&["estimate"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains(&format!("`{id}`, cannot be read")));
}

/// A snapshot directory outside the store, made current with `pricing use DIR`, is listed as
/// the one in use, and with its problem once it no longer loads (the hint of the error then
/// sends the user to the list).
#[test]
fn a_snapshot_directory_in_use_is_listed_with_its_problem() {
    let home = Home::new("directory-in-use");
    let dir = home.dir.join("my-prices");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pricing-cache");
    for f in std::fs::read_dir(shipped).unwrap().flatten() {
        if f.path().is_file() {
            std::fs::copy(f.path(), dir.join(f.file_name())).unwrap();
        }
    }
    // Its own id, so the shipped snapshot is not the one in use.
    let manifest = dir.join("manifest.json");
    let text_before = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text_before.replace(&format!("\"id\": \"{SHIPPED}\""), "\"id\": \"my-prices\""),
    )
    .unwrap();
    // Named by a relative path: kept as the directory it names, so a command run from
    // elsewhere still finds it.
    let out = home
        .command(&["pricing", "use", "my-prices"])
        .current_dir(&home.dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let priced = home.run(&["estimate", "--format", "json"]);
    assert!(priced.status.success(), "{}", text(&priced.stderr));
    assert!(text(&priced.stdout).contains("\"my-prices\""));
    let out = home.run(&["pricing", "use", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&home.run(&["pricing", "list"]).stdout);
    assert!(listed.contains("* my-prices"), "{listed}");
    assert!(listed.contains("\n  shipped "), "{listed}");
    // The id the list shows names it wherever a snapshot is named, from any directory; and
    // the shipped snapshot's own id, as every priced output prints it, names that one.
    let shown = home.run(&["pricing", "show", "cloudfront", "--snapshot", "my-prices"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert!(text(&shown.stdout).contains("in snapshot my-prices"));
    let out = home.run(&["pricing", "use", "my-prices"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        PathBuf::from(current_id(&home)),
        std::fs::canonicalize(&dir).unwrap()
    );
    let out = home.run(&["pricing", "use", SHIPPED]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(current_id(&home), "shipped");
    let out = home.run(&["pricing", "use", "my-prices"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no longer listed, no longer named"
    );
    let out = home.run(&["pricing", "use", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A copy that keeps the shipped snapshot's id is still the one in use, not shipped.
    let copy = home.dir.join("copy-of-shipped");
    std::fs::create_dir_all(&copy).unwrap();
    for f in std::fs::read_dir(&dir).unwrap().flatten() {
        std::fs::copy(f.path(), copy.join(f.file_name())).unwrap();
    }
    std::fs::write(copy.join("manifest.json"), &text_before).unwrap();
    let out = home.run(&["pricing", "use", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = text(&home.run(&["pricing", "list"]).stdout);
    assert!(listed.contains("\n  shipped "), "{listed}");
    let marked: Vec<&str> = listed
        .lines()
        .filter(|l| l.starts_with("* ") && !l.starts_with("* ="))
        .collect();
    assert_eq!(marked.len(), 1, "{listed}");
    assert!(marked[0].contains("copy-of-shipped"), "{listed}");
    // Its id is then two snapshots': naming it is refused, not taken for either (it had
    // said the shipped snapshot was now current and gone on pricing with the copy).
    let out = home.run(&["pricing", "use", SHIPPED]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(&format!("the snapshot id `{SHIPPED}` names 2 snapshots:")),
        "{err}"
    );
    assert!(err.contains("the shipped one (`shipped`)"), "{err}");
    assert!(err.contains("copy-of-shipped"), "{err}");
    let out = home.run(&["pricing", "use", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let file = dir.join("AmazonCloudFront.json");
    let prices = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, prices.replacen("0.085", "0.001", 1)).unwrap();
    let out = home.run(&["estimate"]);
    assert_eq!(out.status.code(), Some(4));
    let listed = text(&home.run(&["pricing", "list"]).stdout);
    assert!(listed.contains("* "), "{listed}");
    assert!(listed.contains("AmazonCloudFront.json"), "{listed}");
}

/// A service AWS does not offer in the Region (Comprehend in sa-east-1, the snapshot's
/// `not_offered`) is not asked for there: the refresh succeeds and keeps it as it was.
#[test]
fn a_refresh_for_sa_east_1_keeps_a_service_not_offered_there() {
    let home = Home::new("sa-east-1");
    let api = PriceListApi::start(Faults::default(), 100);
    let out = home.refresh_with(&api, &["--region", "sa-east-1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !api.received()
            .iter()
            .any(|r| r.body["ServiceCode"] == "comprehend"),
        "comprehend was asked for"
    );
    let id = current_id(&home);
    assert!(home.snapshots().join(&id).join("comprehend.json").exists());
}
