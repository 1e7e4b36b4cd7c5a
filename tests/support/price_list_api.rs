//! A local endpoint on 127.0.0.1 that speaks the AWS Price List Query API's wire protocol
//! (AWS JSON 1.1: `POST /`, `X-Amz-Target: AWSPriceListService.<Operation>`, JSON bodies,
//! errors as `{"__type": …, "message": …}` with status 400), so that the real SDK, its
//! paginator and retries, and the snapshot writer run end to end without leaving the machine.
//!
//! It serves records in the shape and with the names AWS publishes (usage-types.md): the
//! Price List records of `pricing-cache/` (eight Regions: `TimedStorage-ByteHrs` in
//! us-east-1, `EU-TimedStorage-ByteHrs` in eu-west-1, `USE1-` for newer services, airport
//! codes for MediaConvert, data transfer by `fromLocation`, S3 records without
//! `productFamily`), and beside them records the model does not price, some named so that a
//! loose match would take them (`Tables-TimedStorage-ByteHrs`, another Region's Origin
//! Shield, MediaConvert's per-combination rows). What AWS does not publish (free allowances
//! of CloudFront and data transfer, reserved transcode slots) is not served. Each
//! `PriceList` item is a JSON document inside a string, filtered by `TERM_MATCH` on
//! attributes and `productFamily`, in pages of `page_size` with a `NextToken`. Faults can be
//! switched on: throttling, access denied, a malformed record, missing usage types, a
//! renamed attribute, a connection dropped on a given page.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use serde_json::{Value, json};

/// Faults to inject; the default serves everything correctly.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Answer this many GetProducts calls with ThrottlingException before serving.
    pub throttle_first: usize,
    /// Answer every call with AccessDeniedException.
    pub access_denied: bool,
    /// Replace the first record of this service with text that is not JSON.
    pub malformed_service: Option<String>,
    /// Leave out every record with one of these usage types.
    pub drop_usage_types: Vec<String>,
    /// Leave this attribute out of DescribeServices for every service.
    pub hide_attribute: Option<String>,
    /// Close the connection without answering whenever this page (1-based) of GetProducts
    /// is asked for.
    pub drop_on_page: Option<usize>,
    /// Change a price: `(usage type, old USD string, new USD string)`.
    pub reprice: Option<(String, String, String)>,
}

/// One request as received: the operation and its JSON body.
#[derive(Clone, Debug)]
pub struct Received {
    pub operation: String,
    pub body: Value,
}

pub struct PriceListApi {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

struct State {
    records: BTreeMap<String, Vec<Value>>,
    faults: Faults,
    page_size: usize,
    throttled: AtomicUsize,
    received: Arc<Mutex<Vec<Received>>>,
}

impl PriceListApi {
    /// Starts the endpoint on a free port of 127.0.0.1.
    pub fn start(faults: Faults, page_size: usize) -> PriceListApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let state = Arc::new(State {
            records: load_records(&faults),
            faults,
            page_size,
            throttled: AtomicUsize::new(0),
            received: received.clone(),
        });
        let stop_flag = stop.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = state.clone();
                thread::spawn(move || serve(stream, &state));
            }
        });
        PriceListApi {
            port,
            received,
            stop,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for PriceListApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Usage types the shipped snapshot has that AWS does not publish in the Price List.
fn not_in_price_list(usage_type: &str) -> bool {
    usage_type.ends_with("-RTS-Y")
        || usage_type == "Global-DataTransfer-Out-Bytes"
        || usage_type == "Global-Requests-Tier1"
}

/// A copy of `item` as another product: a new SKU, usage type and price, other attributes.
fn variant(item: &Value, sku: &str, usage_type: &str, usd: &str, attrs: &[(&str, &str)]) -> Value {
    let mut v = item.clone();
    let old_sku = v["product"]["sku"].as_str().unwrap().to_string();
    v["product"]["sku"] = json!(sku);
    v["product"]["attributes"]["usagetype"] = json!(usage_type);
    for (k, val) in attrs {
        v["product"]["attributes"][*k] = json!(val);
    }
    // Re-key the terms under the new SKU, one price dimension at `usd`.
    let term = v["terms"]["OnDemand"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    let dim = term["priceDimensions"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .clone();
    let mut dim = dim;
    dim["pricePerUnit"]["USD"] = json!(usd);
    dim["beginRange"] = json!("0");
    dim["endRange"] = json!("Inf");
    dim["description"] = json!(format!("{usage_type} (not priced by the model)"));
    let mut term = term;
    term["sku"] = json!(sku);
    term["priceDimensions"] = json!({ format!("{sku}.JRTCKXETXF.T1"): dim });
    v["terms"]["OnDemand"] = json!({ format!("{sku}.JRTCKXETXF"): term });
    assert_ne!(old_sku, sku);
    v
}

/// The first record of `items` with this usage type.
fn find<'a>(items: &'a [Value], usage_type: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["product"]["attributes"]["usagetype"] == usage_type)
        .unwrap_or_else(|| panic!("no {usage_type} in the shipped snapshot"))
}

/// Records the model does not price, as AWS publishes them next to those it does.
fn decoys(code: &str, items: &[Value]) -> Vec<Value> {
    match code {
        "AmazonS3" => {
            let std = find(items, "TimedStorage-ByteHrs");
            let tier4 = find(items, "Requests-Tier4");
            vec![
                // Ends in `TimedStorage-ByteHrs` after a one-word prefix (usage-types.md §0).
                variant(
                    std,
                    "DECOYS3TABLES001",
                    "Tables-TimedStorage-ByteHrs",
                    "0.0265000000",
                    &[("storageClass", "Table")],
                ),
                variant(
                    std,
                    "DECOYS3INTAA0001",
                    "TimedStorage-INT-AA-ByteHrs",
                    "0.0036000000",
                    &[("storageClass", "Intelligent-Tiering")],
                ),
                // Same usage type family, another operation (transitions to Glacier Flexible).
                variant(
                    tier4,
                    "DECOYS3TIER30001",
                    "Requests-Tier3",
                    "0.0000300000",
                    &[("operation", "S3-GlacierTransition")],
                ),
                // S3's own egress SKU (Multi-Region Access Point routing), not internet egress.
                variant(
                    std,
                    "DECOYS3MRAP00001",
                    "DataTransfer-Out-Bytes",
                    "0.0033000000",
                    &[("operation", "")],
                ),
            ]
        }
        "AWSDataTransfer" => {
            let out = find(items, "DataTransfer-Out-Bytes");
            vec![
                variant(
                    out,
                    "DECOYDTCF0000001",
                    "USE1-CloudFront-Out-Bytes",
                    "0.0000000000",
                    &[],
                ),
                variant(
                    out,
                    "DECOYDTEUCF00001",
                    "EU-CloudFront-Out-Bytes",
                    "0.0000000000",
                    &[
                        ("fromLocation", "EU (Ireland)"),
                        ("fromRegionCode", "eu-west-1"),
                    ],
                ),
                variant(
                    out,
                    "DECOYDTINTER0001",
                    "USE1-USW2-AWS-Out-Bytes",
                    "0.0200000000",
                    &[
                        ("transferType", "InterRegion Outbound"),
                        ("toLocation", "US West (Oregon)"),
                    ],
                ),
            ]
        }
        "AWSElementalMediaConvert" => {
            let basic = find(items, "IAD-Normalized-Transcode-Minute-Basic");
            let dub = find(items, "DUB-Normalized-Transcode-Minute-Basic");
            vec![
                variant(
                    basic,
                    "DECOYMCIADBHD001",
                    "IAD-B-AVC-HD-S-30",
                    "0.0150000000",
                    &[("minuteState", "Untransformed"), ("videoResolution", "HD")],
                ),
                variant(
                    basic,
                    "DECOYMCIADP4K001",
                    "IAD-P-HEVC-4K-MHQ-60",
                    "0.1920000000",
                    &[("minuteState", "Untransformed"), ("tier", "Professional")],
                ),
                variant(
                    dub,
                    "DECOYMCDUBBSD001",
                    "DUB-B-AVC-SD-S-30",
                    "0.0085000000",
                    &[("minuteState", "Untransformed")],
                ),
            ]
        }
        "AmazonCloudFront" => {
            let us = find(items, "US-DataTransfer-Out-Bytes");
            let shield = find(items, "USE1-Requests-OriginShield");
            vec![
                variant(
                    us,
                    "DECOYCFOBYTES001",
                    "US-DataTransfer-Out-OBytes",
                    "0.0200000000",
                    &[("transferType", "CloudFront to Origin")],
                ),
                variant(
                    shield,
                    "DECOYCFSEOUL0001",
                    "APN2-Requests-OriginShield",
                    "0.0000009000",
                    &[
                        ("location", "Asia Pacific (Seoul)"),
                        ("regionCode", "ap-northeast-2"),
                    ],
                ),
                variant(
                    shield,
                    "DECOYCFPROXY0001",
                    "US-Requests-HTTPS-Proxy",
                    "0.0000010000",
                    &[
                        ("location", "United States"),
                        ("locationType", "Edge Location"),
                    ],
                ),
            ]
        }
        "AmazonRekognition" => {
            let g2 = find(items, "USE1-Group2-ImagesProcessed");
            vec![
                variant(
                    g2,
                    "DECOYREKG1000001",
                    "USE1-Group2-AsyncImagesProcessed",
                    "0.0010000000",
                    &[("group", "Group2Async")],
                ),
                variant(
                    g2,
                    "DECOYREKASYNC001",
                    "USE1-Group2-AsyncImagesProcessed",
                    "0.0010000000",
                    &[],
                ),
            ]
        }
        "comprehend" => {
            let s = find(items, "USE1-DetectSentiment");
            vec![variant(
                s,
                "DECOYCMPTOX00001",
                "USE1-DetectToxicContent",
                "0.0001000000",
                &[("operation", "DetectToxicContent")],
            )]
        }
        _ => Vec::new(),
    }
}

/// What the endpoint serves, by service code, as parsed JSON.
fn load_records(faults: &Faults) -> BTreeMap<String, Vec<Value>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/pricing-cache");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap())
            .unwrap();
    let mut out = BTreeMap::new();
    for service in manifest["services"].as_array().unwrap() {
        let code = service["service_code"].as_str().unwrap().to_string();
        let file = service["file"].as_str().unwrap();
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap())
                .unwrap();
        let mut items: Vec<Value> = doc["PriceList"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                !not_in_price_list(i["product"]["attributes"]["usagetype"].as_str().unwrap())
            })
            .cloned()
            .collect();
        let extra = decoys(&code, &items);
        // Interleaved, so a decoy is never simply last.
        for (n, d) in extra.into_iter().enumerate() {
            let at = (n * 7 + 1).min(items.len());
            items.insert(at, d);
        }
        items.retain(|i| {
            !faults
                .drop_usage_types
                .iter()
                .any(|d| i["product"]["attributes"]["usagetype"] == *d)
        });
        if let Some((usage, old, new)) = &faults.reprice {
            for item in items.iter_mut() {
                if item["product"]["attributes"]["usagetype"] == *usage {
                    let text = item.to_string().replace(old.as_str(), new);
                    *item = serde_json::from_str(&text).unwrap();
                }
            }
        }
        out.insert(code, items);
    }
    out
}

fn serve(stream: TcpStream, state: &State) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // Keep-alive: one connection may carry several requests.
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = BTreeMap::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let length: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let operation = headers
            .get("x-amz-target")
            .and_then(|t| t.strip_prefix("AWSPriceListService."))
            .unwrap_or("")
            .to_string();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        state.received.lock().unwrap().push(Received {
            operation: operation.clone(),
            body: body.clone(),
        });
        match respond(state, &operation, &body) {
            Some((status, reply)) => {
                let text = reply.to_string();
                let error_type = if status == 200 {
                    String::new()
                } else {
                    format!(
                        "x-amzn-errortype: {}\r\n",
                        reply["__type"].as_str().unwrap_or("")
                    )
                };
                let head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: application/x-amz-json-1.1\r\n{error_type}content-length: {}\r\nx-amzn-requestid: test\r\n\r\n",
                    if status == 200 { "OK" } else { "Bad Request" },
                    text.len()
                );
                if writer.write_all(head.as_bytes()).is_err()
                    || writer.write_all(text.as_bytes()).is_err()
                {
                    return;
                }
            }
            None => {
                // A dropped connection: close without a word.
                let _ = writer.shutdown(std::net::Shutdown::Both);
                return;
            }
        }
    }
}

fn error(kind: &str, message: &str) -> Option<(u16, Value)> {
    Some((400, json!({"__type": kind, "message": message})))
}

fn respond(state: &State, operation: &str, body: &Value) -> Option<(u16, Value)> {
    let f = &state.faults;
    if f.access_denied {
        return error(
            "AccessDeniedException",
            "User is not authorized to perform: pricing:GetProducts",
        );
    }
    let code = body["ServiceCode"].as_str().unwrap_or("");
    let records = state.records.get(code);
    match operation {
        "DescribeServices" => {
            let Some(records) = records else {
                return Some((200, json!({"Services": [], "FormatVersion": "aws_v1"})));
            };
            let mut names: Vec<String> = records
                .iter()
                .flat_map(|r| {
                    r["product"]["attributes"]
                        .as_object()
                        .map(|o| o.keys().cloned().collect::<Vec<_>>())
                        .unwrap_or_default()
                })
                .chain(["productFamily".to_string()])
                .filter(|n| Some(n) != f.hide_attribute.as_ref())
                .collect();
            names.sort();
            names.dedup();
            Some((
                200,
                json!({"Services": [{"ServiceCode": code, "AttributeNames": names}], "FormatVersion": "aws_v1"}),
            ))
        }
        "GetAttributeValues" => {
            let name = body["AttributeName"].as_str().unwrap_or("");
            let mut values: Vec<String> = records
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    r["product"]["attributes"][name]
                        .as_str()
                        .map(str::to_string)
                })
                .collect();
            values.sort();
            values.dedup();
            let values: Vec<Value> = values.into_iter().map(|v| json!({"Value": v})).collect();
            Some((200, json!({"AttributeValues": values})))
        }
        "GetProducts" => {
            if state.throttled.fetch_add(1, Ordering::SeqCst) < f.throttle_first {
                return error("ThrottlingException", "Rate exceeded");
            }
            let Some(records) = records else {
                return error("NotFoundException", "unknown service code");
            };
            let matching: Vec<&Value> = records
                .iter()
                .filter(|r| {
                    body["Filters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .all(|filter| {
                            let field = filter["Field"].as_str().unwrap_or("");
                            let value = &filter["Value"];
                            if field == "ServiceCode" {
                                return true;
                            }
                            if field == "productFamily" {
                                return r["product"]["productFamily"] == *value;
                            }
                            r["product"]["attributes"][field] == *value
                        })
                })
                .collect();
            let start: usize = body["NextToken"]
                .as_str()
                .and_then(|t| t.strip_prefix("offset-"))
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let size = body["MaxResults"]
                .as_u64()
                .map_or(state.page_size, |m| (m as usize).min(state.page_size))
                .max(1);
            let page = start / size + 1;
            if f.drop_on_page == Some(page) {
                return None;
            }
            let end = (start + size).min(matching.len());
            let mut items: Vec<Value> = matching[start.min(end)..end]
                .iter()
                .map(|r| Value::String(r.to_string()))
                .collect();
            if f.malformed_service.as_deref() == Some(code) && start == 0 && !items.is_empty() {
                items[0] = Value::String("{\"product\": {\"sku\": \"BROKEN\"".into());
            }
            let mut reply = json!({"FormatVersion": "aws_v1", "PriceList": items});
            if end < matching.len() {
                reply["NextToken"] = Value::String(format!("offset-{end}"));
            }
            Some((200, reply))
        }
        _ => error("UnknownOperationException", "unknown operation"),
    }
}
