//! Codec strings as HLS `CODECS` and DASH `@codecs` write them (RFC 6381: a sample entry's
//! four-character code, then dot-separated parameters).

use ladderwise_model::scenario::Codec;

use crate::ladder::Range;

/// What a `CODECS` entry (RFC 6381) is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CodecKind {
    /// A video codec, and Dolby Vision when the sample entry is one of its own (the range is
    /// otherwise stated beside the codec: HLS `VIDEO-RANGE`, DASH `TransferCharacteristics`).
    Video(Codec, Option<Range>),
    /// An audio codec, its name, and the bitrate assumed for it when the playlist does not
    /// say (an audio rendition's bitrate is never in a multivariant playlist).
    Audio(&'static str, u32),
    /// Subtitles and captions: no bitrate worth counting.
    Text,
}

/// Sample entries a scenario can price or an audio bitrate can be assumed for, by their
/// four-character code, for the error message.
pub(crate) const SUPPORTED: &str = "a scenario prices the video codecs avc1/avc3 (avc), hvc1/hev1 (hevc), av01 (av1) and vp09 (vp9), and Dolby Vision on them (dva1/dvav, dvh1/dvhe, dav1); the audio codecs read are mp4a, ac-3, ec-3 (and ec+3, Atmos, at its rate) and opus (and ac-4, fLaC, alac, mha1/mhm1, dts*, ipcm/fpcm at AAC-LC's rate), the text ones wvtt and stpp";

/// The bitrate assumed for AAC-LC, the HLS default audio, when nothing else says.
pub(crate) const DEFAULT_AUDIO: (&str, u32) = ("AAC-LC", 128);

pub(crate) fn classify(codec: &str) -> Option<CodecKind> {
    let lower = codec.trim().to_ascii_lowercase();
    let mut parts = lower.split('.');
    let fourcc = parts.next().unwrap_or_default();
    let kind = match fourcc {
        "avc1" | "avc3" => CodecKind::Video(Codec::Avc, None),
        "hvc1" | "hev1" => CodecKind::Video(Codec::Hevc, None),
        "av01" => CodecKind::Video(Codec::Av1, None),
        "vp09" => CodecKind::Video(Codec::Vp9, None),
        // Dolby Vision's sample entries over the codec its base layer uses (Dolby's "Dolby
        // Vision Streams Within the ISO Base Media File Format": profile 9 AVC, 5 HEVC, 10 AV1).
        "dva1" | "dvav" => CodecKind::Video(Codec::Avc, Some(Range::DolbyVision)),
        "dvh1" | "dvhe" => CodecKind::Video(Codec::Hevc, Some(Range::DolbyVision)),
        "dav1" => CodecKind::Video(Codec::Av1, Some(Range::DolbyVision)),
        // mp4a.40.<audio object type>: 2 AAC-LC, 5 HE-AAC, 29 HE-AACv2, 34 MP3; mp4a.6B and
        // mp4a.69 are MPEG audio (MP3) by object type indication.
        // The object type is a decimal number, which some packagers write with a leading
        // zero (`mp4a.40.05`).
        "mp4a" => match (
            parts.next(),
            parts.next().and_then(|t| t.parse::<u32>().ok()),
        ) {
            (Some("40"), Some(5)) => CodecKind::Audio("HE-AAC", 64),
            (Some("40"), Some(29)) => CodecKind::Audio("HE-AACv2", 32),
            (Some("40"), Some(34)) | (Some("6b" | "69"), _) => CodecKind::Audio("MP3", 128),
            _ => CodecKind::Audio(DEFAULT_AUDIO.0, DEFAULT_AUDIO.1),
        },
        "ac-3" => CodecKind::Audio("AC-3", 384),
        "ec-3" => CodecKind::Audio("E-AC-3", 192),
        // E-AC-3 with joint object coding (Dolby Atmos), as DASH-IF and HLS signal it.
        "ec+3" => CodecKind::Audio("E-AC-3 JOC (Atmos; E-AC-3's rate)", 192),
        "opus" => CodecKind::Audio("Opus", 96),
        // Audio codecs HLS and DASH carry whose typical bitrate is not one to assume (AC-4,
        // FLAC and ALAC lossless, MPEG-H, DTS, PCM): AAC-LC's is, and said, rather than the
        // import refused for an audio track.
        "ac-4" => CodecKind::Audio("AC-4 (no typical rate: AAC-LC's)", DEFAULT_AUDIO.1),
        "flac" => CodecKind::Audio("FLAC (no typical rate: AAC-LC's)", DEFAULT_AUDIO.1),
        "alac" => CodecKind::Audio("ALAC (no typical rate: AAC-LC's)", DEFAULT_AUDIO.1),
        "mha1" | "mhm1" => CodecKind::Audio("MPEG-H (no typical rate: AAC-LC's)", DEFAULT_AUDIO.1),
        "dtsc" | "dtse" | "dtsh" | "dtsl" | "dtsx" => {
            CodecKind::Audio("DTS (no typical rate: AAC-LC's)", DEFAULT_AUDIO.1)
        }
        "ipcm" | "fpcm" => CodecKind::Audio("PCM (no typical rate: AAC-LC's)", DEFAULT_AUDIO.1),
        "wvtt" | "stpp" => CodecKind::Text,
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audio_object_types_are_numbers_and_atmos_is_e_ac_3() {
        assert_eq!(classify("mp4a.40.05"), Some(CodecKind::Audio("HE-AAC", 64)));
        assert_eq!(classify("mp4a.40.5"), Some(CodecKind::Audio("HE-AAC", 64)));
        assert_eq!(
            classify("mp4a.40.02"),
            Some(CodecKind::Audio("AAC-LC", 128))
        );
        assert!(matches!(
            classify("ec+3"),
            Some(CodecKind::Audio(name, 192)) if name.starts_with("E-AC-3 JOC")
        ));
    }

    #[test]
    fn codecs_are_told_apart() {
        assert_eq!(
            classify("avc3.640028"),
            Some(CodecKind::Video(Codec::Avc, None))
        );
        assert_eq!(
            classify("hev1.1.6.L93.B0"),
            Some(CodecKind::Video(Codec::Hevc, None))
        );
        assert_eq!(
            classify("dvh1.05.06"),
            Some(CodecKind::Video(Codec::Hevc, Some(Range::DolbyVision)))
        );
        assert_eq!(classify("mp4a.40.5"), Some(CodecKind::Audio("HE-AAC", 64)));
        assert_eq!(classify("ec-3"), Some(CodecKind::Audio("E-AC-3", 192)));
        assert_eq!(classify("vp08"), None);
        // An audio codec with no typical rate is read at AAC-LC's, and says so.
        assert!(matches!(
            classify("ac-4.02.01.01"),
            Some(CodecKind::Audio(name, 128)) if name.starts_with("AC-4")
        ));
        assert!(matches!(classify("fLaC"), Some(CodecKind::Audio(_, 128))));
    }
}
