//! Dates as the console's screens handle them: `YYYY-MM-DD` text, moved and shown with the
//! browser's own `Date` and `Intl` (the console ships no calendar library).

/// Today's date where the console is open (`YYYY-MM-DD`): the front desk is at the location.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date())
}

/// `date` (`YYYY-MM-DD`) moved by `days`.
pub fn add_days(date: &str, days: i64) -> String {
    let Some(ms) = utc_ms(date) else { return date.to_string() };
    let moved = js_sys::Date::new(&(ms + days as f64 * 86_400_000.0).into());
    format!("{:04}-{:02}-{:02}", moved.get_utc_full_year(), moved.get_utc_month() + 1, moved.get_utc_date())
}

/// A date as people read it: "Thursday 10 December 2026".
pub fn long_date(date: &str) -> String {
    let Some(ms) = utc_ms(date) else { return date.to_string() };
    let options = js_sys::Object::new();
    for (key, value) in
        [("weekday", "long"), ("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")]
    {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&ms.into()).to_locale_date_string("en-GB", &options).into()
}

fn utc_ms(date: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(&format!("{date}T00:00:00Z"));
    (!ms.is_nan()).then_some(ms)
}

/// "12:04, 6 Dec" for an instant, in the console's own clock.
pub fn when(at: &str) -> String {
    let date = js_sys::Date::new(&js_sys::Date::parse(at).into());
    format!("{:02}:{:02}, {} {}", date.get_hours(), date.get_minutes(), date.get_date(), month(date.get_month()))
}

fn month(m: u32) -> &'static str {
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .get(m as usize)
        .copied()
        .unwrap_or("")
}

/// The Monday of the week `date` (`YYYY-MM-DD`) is in.
pub fn monday_of(date: &str) -> String {
    let Some(ms) = utc_ms(date) else { return date.to_string() };
    // getUTCDay: Sunday 0 … Saturday 6; Monday is 0 days back, Sunday 6.
    let weekday = js_sys::Date::new(&ms.into()).get_utc_day();
    add_days(date, -i64::from((weekday + 6) % 7))
}

/// A date as a column's heading: "Mon 7 Dec".
pub fn short_date(date: &str) -> String {
    let Some(ms) = utc_ms(date) else { return date.to_string() };
    let options = js_sys::Object::new();
    for (key, value) in [("weekday", "short"), ("day", "numeric"), ("month", "short"), ("timeZone", "UTC")] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    js_sys::Date::new(&ms.into()).to_locale_date_string("en-GB", &options).into()
}

/// The instant (RFC 3339, UTC) at which the wall clock in the IANA `zone` reads `date` and `time`
/// (`YYYY-MM-DD`, `HH:MM`): how a front desk's typed time at a location becomes the API's start,
/// wherever the console is open. The zone's offset comes from the browser's `Intl`, read at the
/// guess and again at the answer, so a day that changes the clocks is right; a time the clocks
/// skip or repeat takes the earlier offset.
pub fn instant_in(zone: &str, date: &str, time: &str) -> Option<String> {
    let wall = js_sys::Date::parse(&format!("{date}T{time}:00Z"));
    if wall.is_nan() {
        return None;
    }
    let first = wall - offset_at(zone, wall)?;
    let answer = wall - offset_at(zone, first)?;
    let iso: String = js_sys::Date::new(&answer.into()).to_iso_string().into();
    Some(iso.replace(".000Z", "Z"))
}

/// How far `zone`'s wall clock is ahead of UTC at the instant `ms`, in milliseconds.
fn offset_at(zone: &str, ms: f64) -> Option<f64> {
    let options = js_sys::Object::new();
    let fields = [
        ("timeZone", zone),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
    ];
    for (key, value) in fields {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    let locales = js_sys::Array::of1(&"en-US".into());
    let format = js_sys::Intl::DateTimeFormat::new(&locales, &options);
    let parts = format.format_to_parts(&js_sys::Date::new(&ms.into()));
    let part = |name: &str| -> Option<f64> {
        parts.iter().find_map(|p| {
            let kind = js_sys::Reflect::get(&p, &"type".into()).ok()?.as_string()?;
            let value = js_sys::Reflect::get(&p, &"value".into()).ok()?.as_string()?;
            (kind == name).then(|| value.parse::<f64>().ok()).flatten()
        })
    };
    let wall = js_sys::Date::utc(part("year")?, part("month")? - 1.0)
        + (part("day")? - 1.0) * 86_400_000.0
        + part("hour")? * 3_600_000.0
        + part("minute")? * 60_000.0
        + part("second")? * 1000.0;
    // The instant itself, to the second (the format has no milliseconds).
    Some(wall - (ms - ms.rem_euclid(1000.0)))
}
