//! Wall-clock pieces that need no time-zone database: a minute of the day and a working-hours range.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Minutes since local midnight, `0..=1440`. `1440` ("24:00") is only meaningful as the end of a
/// range, so a specialist can work until midnight without the "23:59 means midnight" trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinuteOfDay(u16);

impl MinuteOfDay {
    /// Local midnight at the end of the day.
    pub const END_OF_DAY: MinuteOfDay = MinuteOfDay(1440);

    /// # Errors
    /// Returns `None` when `minutes > 1440`.
    pub fn new(minutes: u16) -> Option<Self> {
        (minutes <= 1440).then_some(MinuteOfDay(minutes))
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// Hour and minute, e.g. `(9, 30)`; `1440` gives `(24, 0)`.
    pub fn hour_minute(self) -> (u8, u8) {
        ((self.0 / 60) as u8, (self.0 % 60) as u8)
    }

    /// Parses `"HH:MM"` (`"24:00"` allowed).
    ///
    /// ```
    /// use homeslot_core::time::MinuteOfDay;
    /// assert_eq!(MinuteOfDay::parse("09:30").unwrap().minutes(), 570);
    /// assert!(MinuteOfDay::parse("24:01").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let (h, m) = text.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        if m >= 60 {
            return None;
        }
        MinuteOfDay::new(h * 60 + m)
    }
}

impl core::fmt::Display for MinuteOfDay {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (h, m) = self.hour_minute();
        write!(f, "{h:02}:{m:02}")
    }
}

impl Serialize for MinuteOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MinuteOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        MinuteOfDay::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a time of day (HH:MM)")))
    }
}

/// A half-open local time range `[start, end)` within one day, e.g. working hours 09:00–13:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    pub start: MinuteOfDay,
    pub end: MinuteOfDay,
}

impl TimeRange {
    /// Length in minutes of wall-clock time (real minutes can differ on a daylight-saving day).
    pub fn wall_minutes(&self) -> u16 {
        self.end.minutes().saturating_sub(self.start.minutes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_times_of_day() {
        for text in ["00:00", "09:05", "23:59", "24:00"] {
            assert_eq!(MinuteOfDay::parse(text).unwrap().to_string(), text);
        }
        for bad in ["9:00", "25:00", "12:60", "ab:cd", "", "12:00:00", "24:30"] {
            assert!(MinuteOfDay::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn deserializes_ranges_from_json() {
        let range: TimeRange = serde_json::from_str(r#"{"start":"09:00","end":"13:30"}"#).unwrap();
        assert_eq!(range.wall_minutes(), 270);
        assert!(serde_json::from_str::<TimeRange>(r#"{"start":"9","end":"13:30"}"#).is_err());
    }
}
