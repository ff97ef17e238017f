//! Wall-clock pieces that need no time-zone database: a minute of the day and a working-hours range.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Minutes since local midnight, `0..=1440`. `1440` ("24:00") is only meaningful as the end of a
/// range, so a specialist can work until midnight without the "23:59 means midnight" trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinuteOfDay(u16);

impl MinuteOfDay {
    /// Local midnight at the start of the day.
    pub const MIDNIGHT: MinuteOfDay = MinuteOfDay(0);
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
#[serde(deny_unknown_fields)]
pub struct TimeRange {
    pub start: MinuteOfDay,
    pub end: MinuteOfDay,
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
        assert_eq!((range.start.minutes(), range.end.minutes()), (540, 810));
        assert!(serde_json::from_str::<TimeRange>(r#"{"start":"9","end":"13:30"}"#).is_err());
    }
}

/// A calendar date without a time zone, for the widget's date picker. The edge does real
/// calendar work with jiff; this is the small piece the browser needs without shipping jiff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    days_since_epoch: i32,
}

impl CivilDate {
    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// use homeslot_core::time::CivilDate;
    /// let d = CivilDate::parse("2026-12-31").unwrap();
    /// assert_eq!(d.add_days(1).to_string(), "2027-01-01");
    /// assert!(CivilDate::parse("2026-02-29").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        Some(CivilDate { days_since_epoch: days_from_civil(y, m, d) })
    }

    /// Year, month (1–12) and day as a date, if it is one.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then(|| CivilDate { days_since_epoch: days_from_civil(year, month, day) })
    }

    /// The date `days` later (or earlier, if negative).
    pub fn add_days(self, days: i32) -> Self {
        CivilDate { days_since_epoch: self.days_since_epoch + days }
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.days_since_epoch)
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i32 {
        self.days_since_epoch
    }

    /// Day of the week, Monday = 0.
    pub fn days_from_monday(self) -> u8 {
        // 1970-01-01 was a Thursday (3 days after a Monday).
        (self.days_since_epoch + 3).rem_euclid(7) as u8
    }
}

impl Serialize for CivilDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CivilDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CivilDate::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date (YYYY-MM-DD)")))
    }
}

impl core::fmt::Display for CivilDate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil algorithms (public domain), proleptic Gregorian calendar.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod civil_date_tests {
    use super::CivilDate;

    #[test]
    fn walks_across_month_year_and_leap_day() {
        let d = CivilDate::parse("2028-02-28").unwrap();
        assert_eq!(d.add_days(1).to_string(), "2028-02-29");
        assert_eq!(d.add_days(2).to_string(), "2028-03-01");
        assert_eq!(CivilDate::parse("2026-11-23").unwrap().days_from_monday(), 0);
        assert_eq!(CivilDate::parse("1970-01-01").unwrap().days_from_monday(), 3);
        assert_eq!(CivilDate::parse("2026-01-01").unwrap().add_days(-1).to_string(), "2025-12-31");
    }

    #[test]
    fn agrees_with_a_day_by_day_walk_for_centuries() {
        let mut date = CivilDate::parse("1899-12-31").unwrap();
        for _ in 0..80_000 {
            let next = date.add_days(1);
            assert_eq!(CivilDate::parse(&next.to_string()), Some(next));
            let ((y0, m0, d0), (y1, m1, d1)) = (date.ymd(), next.ymd());
            let same_month = y1 == y0 && m1 == m0 && d1 == d0 + 1;
            let next_month = d1 == 1 && ((m1 == m0 + 1 && y1 == y0) || (m0 == 12 && m1 == 1 && y1 == y0 + 1));
            assert!(same_month || next_month, "{date} -> {next}");
            assert_eq!(next.days_from_monday(), (date.days_from_monday() + 1) % 7);
            date = next;
        }
    }

    #[test]
    fn refuses_impossible_dates() {
        for bad in ["2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "x", "2026-01-01-01", "2100-02-29"] {
            assert!(CivilDate::parse(bad).is_none(), "{bad}");
        }
    }
}
