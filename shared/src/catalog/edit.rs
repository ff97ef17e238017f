//! Changing one part of a catalog: create or replace a single location, service, specialist or
//! category, delete one, or change company-wide fields. Each edit yields a whole new catalog that
//! is validated like a full upload, so no sequence of edits can store what a full upload could
//! not.
//!
//! Deleting keeps the rest consistent where the intent is plain: a deleted specialist leaves the
//! services they performed (and their own prices), a deleted category leaves its services
//! uncategorised. What cannot be resolved that way is refused with `in_use`: a location that still
//! has specialists, a specialist who still teaches class sessions.

use serde::{Deserialize, Deserializer, Serialize};

use super::{Category, Company, Location, Service, Specialist};
use crate::error::{ApiError, ErrorCode};
use crate::links::ShortLink;
use crate::pricing::DiscountRule;
use crate::promo::Promo;
use crate::settings::WidgetSettings;

/// The kinds of item an owner edits one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Locations,
    Services,
    Specialists,
    Categories,
}

impl Kind {
    /// The list's name, in the catalog and in the address (`services`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Locations => "locations",
            Kind::Services => "services",
            Kind::Specialists => "specialists",
            Kind::Categories => "categories",
        }
    }
}

/// One item, as the owner sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "item", rename_all = "snake_case")]
pub enum Item {
    Locations(Location),
    Services(Service),
    Specialists(Specialist),
    Categories(Category),
}

impl Item {
    fn kind(&self) -> Kind {
        match self {
            Item::Locations(_) => Kind::Locations,
            Item::Services(_) => Kind::Services,
            Item::Specialists(_) => Kind::Specialists,
            Item::Categories(_) => Kind::Categories,
        }
    }

    fn id(&self) -> &str {
        match self {
            Item::Locations(l) => &l.id,
            Item::Services(s) => &s.id,
            Item::Specialists(s) => &s.id,
            Item::Categories(c) => &c.id,
        }
    }
}

/// Company-wide fields to change; absent fields stay as they are. `logo_url: null` removes the
/// logo. Lists of locations, services and specialists change item by item instead.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<Option<String>>,
    /// `null` takes the business off Google.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub business_category: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_origins: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Category>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<WidgetSettings>,
    /// The automatic discounts, replaced as a whole list (their order is their precedence on ties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discounts: Option<Vec<DiscountRule>>,
    /// The promos, replaced as a whole list (their order decides which a screen shows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promos: Option<Vec<Promo>>,
    /// Test bookings on or off (see [`Company::test_bookings`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_bookings: Option<bool>,
    /// The short links, replaced as a whole list (see [`crate::links`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_links: Option<Vec<ShortLink>>,
}

/// A present field, even `null`, is `Some`: so `null` can mean "remove".
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// One change to a catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
// One edit exists per admin request, so the size of its largest variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Edit {
    /// Create the item, or replace the one with its id (keeping its place in the list).
    Put { item: Item },
    /// Remove the item with this id.
    Delete { kind: Kind, id: String },
    /// Change company-wide fields.
    Patch { patch: CompanyPatch },
}

/// What an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Replaced,
    Deleted,
    Updated,
}

impl Company {
    /// The catalog after `edit`, validated (time zones too, where the time-zone database is built
    /// in: feature `tz`).
    ///
    /// # Errors
    /// `not_found` when deleting what is not there, `in_use` when a deletion would leave
    /// something without what it needs, `validation_failed` naming the field (relative to the
    /// item, for an item's own fields).
    pub fn edited(&self, edit: &Edit) -> Result<(Company, Outcome), ApiError> {
        let mut next = self.clone();
        let outcome = match edit {
            Edit::Put { item } => next.put(item.clone()),
            Edit::Delete { kind, id } => next.delete(*kind, id)?,
            Edit::Patch { patch } => next.patch(patch.clone()),
        };
        next.validate().and_then(|()| zones(&next)).map_err(|e| relative_to_item(e, edit, &next))?;
        Ok((next, outcome))
    }

    fn put(&mut self, item: Item) -> Outcome {
        fn upsert<T>(list: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) -> Outcome {
            match list.iter().position(same) {
                Some(i) => {
                    list[i] = item;
                    Outcome::Replaced
                }
                None => {
                    list.push(item);
                    Outcome::Created
                }
            }
        }
        let id = item.id().to_owned();
        match item {
            Item::Locations(l) => upsert(&mut self.locations, l, |x| x.id == id),
            Item::Services(s) => upsert(&mut self.services, s, |x| x.id == id),
            Item::Specialists(s) => upsert(&mut self.specialists, s, |x| x.id == id),
            Item::Categories(c) => upsert(&mut self.categories, c, |x| x.id == id),
        }
    }

    fn delete(&mut self, kind: Kind, id: &str) -> Result<Outcome, ApiError> {
        let before = self.ids(kind).len();
        let named = |link: &&crate::links::ShortLink| match kind {
            Kind::Locations => link.location_id.as_deref() == Some(id),
            Kind::Services => link.service_id.as_deref() == Some(id),
            _ => false,
        };
        if let Some(link) = self.short_links.iter().find(named) {
            return Err(in_use(format!(
                "The short link {:?} opens on it: change or delete that link first.",
                link.name
            )));
        }
        match kind {
            Kind::Locations => {
                if let Some(s) = self.specialists.iter().find(|s| s.location_id == id) {
                    return Err(in_use(format!(
                        "Specialist {:?} works at this location: move or delete the location's specialists first.",
                        s.id
                    )));
                }
                self.locations.retain(|l| l.id != id);
                for service in &mut self.services {
                    if let Some(class) = &mut service.class {
                        class.sessions.retain(|s| s.location_id != id);
                    }
                }
            }
            Kind::Services => self.services.retain(|s| s.id != id),
            Kind::Specialists => {
                if let Some(service) = self
                    .services
                    .iter()
                    .find(|s| s.class.as_ref().is_some_and(|c| c.sessions.iter().any(|x| x.specialist_id == id)))
                {
                    return Err(in_use(format!(
                        "This specialist teaches sessions of the class {:?}: give them to someone else first.",
                        service.id
                    )));
                }
                self.specialists.retain(|s| s.id != id);
                for service in &mut self.services {
                    service.specialist_ids.retain(|s| s != id);
                    service.variants.retain(|v| v.specialist_id != id);
                }
            }
            Kind::Categories => {
                self.categories.retain(|c| c.id != id);
                for service in &mut self.services {
                    if service.category_id.as_deref() == Some(id) {
                        service.category_id = None;
                    }
                }
            }
        }
        if self.ids(kind).len() == before {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("No {} item {id:?} in this company.", kind.as_str()),
            ));
        }
        Ok(Outcome::Deleted)
    }

    fn patch(&mut self, patch: CompanyPatch) -> Outcome {
        if let Some(name) = patch.name {
            self.name = name;
        }
        if let Some(currency) = patch.currency {
            self.currency = currency;
        }
        if let Some(logo_url) = patch.logo_url {
            self.logo_url = logo_url;
        }
        if let Some(category) = patch.business_category {
            self.business_category = category;
        }
        if let Some(origins) = patch.site_origins {
            self.site_origins = origins;
        }
        if let Some(categories) = patch.categories {
            self.categories = categories;
        }
        if let Some(widget) = patch.widget {
            self.widget = widget;
        }
        if let Some(discounts) = patch.discounts {
            self.discounts = discounts;
        }
        if let Some(promos) = patch.promos {
            self.promos = promos;
        }
        if let Some(on) = patch.test_bookings {
            self.test_bookings = on;
        }
        if let Some(links) = patch.short_links {
            self.short_links = links;
        }
        Outcome::Updated
    }

    /// The ids of one kind of item, in catalog order.
    fn ids(&self, kind: Kind) -> Vec<&str> {
        match kind {
            Kind::Locations => self.locations.iter().map(|x| x.id.as_str()).collect(),
            Kind::Services => self.services.iter().map(|x| x.id.as_str()).collect(),
            Kind::Specialists => self.specialists.iter().map(|x| x.id.as_str()).collect(),
            Kind::Categories => self.categories.iter().map(|x| x.id.as_str()).collect(),
        }
    }
}

#[cfg(feature = "tz")]
fn zones(company: &Company) -> Result<(), ApiError> {
    crate::availability::validate_zones(company)
}

#[cfg(not(feature = "tz"))]
fn zones(_: &Company) -> Result<(), ApiError> {
    Ok(())
}

fn in_use(message: String) -> ApiError {
    ApiError::new(ErrorCode::InUse, message)
}

/// For a `Put`, a problem in the item's own fields is named relative to the item (`name`, not
/// `services[7].name`): that is what the owner sent.
fn relative_to_item(mut error: ApiError, edit: &Edit, next: &Company) -> ApiError {
    let Edit::Put { item } = edit else { return error };
    let Some(index) = next.ids(item.kind()).iter().position(|id| *id == item.id()) else { return error };
    let prefix = format!("{}[{index}].", item.kind().as_str());
    if let Some(field) = error.field.as_mut() {
        if let Some(rest) = field.strip_prefix(&prefix) {
            error.message = error.message.replacen(&prefix, "", 1);
            *field = rest.to_owned();
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::demo;

    fn put(json: &str) -> Edit {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn put_creates_then_replaces_in_place() {
        let company = demo();
        let edit = put(r#"{"op":"put","item":{"kind":"categories","item":{"id":"cuts","name":"Cuts"}}}"#);
        let (company, outcome) = company.edited(&edit).unwrap();
        assert_eq!(outcome, Outcome::Created);
        let mut service = company.services[1].clone();
        service.name = "Renamed".into();
        service.category_id = Some("cuts".into());
        let (after, outcome) = company.edited(&Edit::Put { item: Item::Services(service) }).unwrap();
        assert_eq!(outcome, Outcome::Replaced);
        assert_eq!(after.services[1].name, "Renamed");
        assert_eq!(after.services.len(), company.services.len());
    }

    #[test]
    fn an_items_own_fields_are_named_relative_to_it() {
        let company = demo();
        let mut service = company.services[2].clone();
        service.duration_minutes = 0;
        let err = company.edited(&Edit::Put { item: Item::Services(service) }).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("duration_minutes"));
        assert!(err.message.starts_with("duration_minutes "), "{}", err.message);
        // A new specialist at a location that does not exist.
        let mut specialist = company.specialists[0].clone();
        specialist.id = "new".into();
        specialist.location_id = "nowhere".into();
        let err = company.edited(&Edit::Put { item: Item::Specialists(specialist) }).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("location_id"));
    }

    #[test]
    fn deleting_a_specialist_leaves_their_services() {
        let company = demo();
        let id = company.services[0].specialist_ids[0].clone();
        let (after, outcome) = company.edited(&Edit::Delete { kind: Kind::Specialists, id: id.clone() }).unwrap();
        assert_eq!(outcome, Outcome::Deleted);
        assert!(after.specialist(&id).is_none());
        assert!(after.services.iter().all(|s| !s.specialist_ids.contains(&id)));
        assert!(after.services.iter().all(|s| s.variants.iter().all(|v| v.specialist_id != id)));
    }

    #[test]
    fn deletions_that_would_strand_something_are_refused() {
        let company = demo();
        let location = company.locations[0].id.clone();
        let err = company.edited(&Edit::Delete { kind: Kind::Locations, id: location }).unwrap_err();
        assert_eq!(err.code, ErrorCode::InUse);
        let teacher = company
            .services
            .iter()
            .find_map(|s| s.class.as_ref().map(|c| c.sessions[0].specialist_id.clone()))
            .expect("the demo has a class");
        let err = company.edited(&Edit::Delete { kind: Kind::Specialists, id: teacher }).unwrap_err();
        assert_eq!(err.code, ErrorCode::InUse);
        let err = company.edited(&Edit::Delete { kind: Kind::Services, id: "nope".into() }).unwrap_err();
        assert_eq!(err.code, ErrorCode::NotFound);
    }

    #[test]
    fn deleting_a_category_uncategorises_its_services() {
        let mut company = demo();
        company.categories.push(Category { id: "cuts".into(), name: "Cuts".into() });
        company.services[0].category_id = Some("cuts".into());
        let (after, _) = company.edited(&Edit::Delete { kind: Kind::Categories, id: "cuts".into() }).unwrap();
        assert_eq!(after.services[0].category_id, None);
    }

    #[test]
    fn patch_changes_only_what_it_names() {
        let mut company = demo();
        company.logo_url = Some("https://salon.example/logo.png".into());
        let patch: CompanyPatch = serde_json::from_str(r#"{"name":"New name","logo_url":null}"#).unwrap();
        let (after, outcome) = company.edited(&Edit::Patch { patch }).unwrap();
        assert_eq!(outcome, Outcome::Updated);
        assert_eq!((after.name.as_str(), after.logo_url.as_deref()), ("New name", None));
        assert_eq!(after.services, company.services);
        assert!(serde_json::from_str::<CompanyPatch>(r#"{"locations":[]}"#).is_err());
        let bad: CompanyPatch = serde_json::from_str(r#"{"currency":"pounds"}"#).unwrap();
        assert_eq!(company.edited(&Edit::Patch { patch: bad }).unwrap_err().field.as_deref(), Some("currency"));
    }
}
