//! Which list operations page, and how: declared with `x-pagination`, or recognised
//! from the common shapes of paged APIs (a cursor or page token handed back in the
//! response, Stripe's `starting_after` with `has_more`, offsets, page numbers).
//!
//! Recognition is deliberately narrow: a stream that skipped or repeated pages would be
//! worse than none, so an operation pages only when its parameter and its response both
//! say so unambiguously.

use crate::error::Error;
use crate::ir::{
    Field, FieldRef, Location, NextCursor, Pagination, Param, ResponseBody, ResponseShape, Struct,
    Ty, TypeDef, TypeKind,
};
use crate::spec::view::PaginationExtension;

/// Pagination declared with `x-pagination: {cursor-param, next-cursor, items}`.
pub(crate) fn declared(
    types: &[TypeDef],
    ext: PaginationExtension<'_>,
    params: &[Param],
    response: &ResponseShape,
) -> Result<Pagination, Error> {
    let ptr = ext.pointer.clone();
    let (cursor, next, items) = (ext.cursor_param, ext.next_cursor, ext.items);
    let Some(cursor_param) = params
        .iter()
        .find(|p| p.wire == cursor && p.location == Location::Query)
    else {
        return Err(Error::unsupported(
            ptr,
            format!("x-pagination: no query parameter `{cursor}`"),
        ));
    };
    if cursor_param.required {
        return Err(Error::unsupported(
            ptr,
            format!(
                "x-pagination: `{cursor}` is required, so the first page has no cursor to leave out"
            ),
        ));
    }
    let Some(page) = page_struct(types, response) else {
        return Err(Error::unsupported(
            ptr,
            "x-pagination: the success response is not one JSON object type",
        ));
    };
    let field = |wire: &str| {
        page.fields
            .iter()
            .find(|f| f.wire == wire && !f.flatten)
            .ok_or_else(|| {
                Error::unsupported(
                    ptr.clone(),
                    format!("x-pagination: the page has no field `{wire}`"),
                )
            })
    };
    let (next_field, items_field) = (field(next)?, field(items)?);
    let Some(item_ty) = list_item(types, &items_field.full_ty()) else {
        return Err(Error::unsupported(
            ptr,
            format!("x-pagination: `{items}` is not an array"),
        ));
    };
    Ok(Pagination {
        cursor_field: cursor_param.ident.clone(),
        next: NextCursor::Field(vec![field_ref(next_field)]),
        items: Some(field_ref(items_field)),
        item_ty,
        more: None,
    })
}

/// Query parameters that carry a cursor, by normalised name (see [`norm`]); `page` too,
/// when the page hands back the next one (`next_page`) as the same kind of value.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page",
    "pagecursor",
    "startcursor",
    "pagetoken",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "continue",
    "marker",
    "skiptoken",
    "after",
    "afterid",
];

/// Response fields that hand back the next cursor, by normalised name.
const NEXT_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpage",
    "nextpagecursor",
    "endcursor",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "continue",
    "nextmarker",
    "lastid",
];

/// Parameters that name the item after which the next page starts (Stripe).
const AFTER_ITEM_PARAMS: &[&str] = &["startingafter"];

/// Item fields that identify an item for [`AFTER_ITEM_PARAMS`].
const ITEM_IDS: &[&str] = &["id"];

const OFFSET_PARAMS: &[&str] = &["offset", "skip", "startindex"];

const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pagenum"];

/// The page fields that hold the items, most likely first; otherwise the page's only list.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "entries", "records", "values", "elements", "objects",
];

/// Booleans saying whether another page follows.
const MORE_FIELDS: &[&str] = &["hasmore", "hasnextpage", "hasnext", "more"];

/// Objects of the page that may hold the next cursor one level down (`meta.next_cursor`).
const CURSOR_HOLDERS: &[&str] = &[
    "meta",
    "metadata",
    "pagination",
    "paging",
    "pageinfo",
    "responsemetadata",
    "cursor",
    "links",
    "page",
];

/// Lowercase letters and digits only: `page_token`, `pageToken` and `PageToken` agree.
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Pagination recognised from the operation's shape, for a `GET` without `x-pagination`.
pub(crate) fn inferred(
    types: &[TypeDef],
    params: &[Param],
    response: &ResponseShape,
) -> Option<Pagination> {
    let query = |names: &[&str]| {
        names.iter().find_map(|name| {
            params
                .iter()
                .find(|p| p.location == Location::Query && !p.required && norm(&p.wire) == *name)
        })
    };
    let page = page_struct(types, response);
    let items = match page {
        Some(page) => {
            let field = items_field(types, page)?;
            Some((field_ref(field), list_item(types, &field.full_ty())?))
        }
        None => None,
    };
    let more = page.and_then(|page| {
        MORE_FIELDS.iter().find_map(|name| {
            page.fields
                .iter()
                .find(|f| !f.flatten && norm(&f.wire) == *name && is_bool(types, &f.full_ty()))
                .map(field_ref)
        })
    });

    if let (Some(page), Some((items, item_ty))) = (page, &items) {
        if let Some(param) = query(CURSOR_PARAMS).filter(|p| is_scalar(types, &p.ty))
            && let Some(path) = next_cursor_path(types, page)
            && path
                .last()
                .is_some_and(|next| is_integer(types, &next.ty) == is_integer(types, &param.ty))
        {
            return Some(Pagination {
                cursor_field: param.ident.clone(),
                next: NextCursor::Field(path),
                items: Some(items.clone()),
                item_ty: item_ty.clone(),
                more,
            });
        }
        if let Some(param) = query(AFTER_ITEM_PARAMS).filter(|p| is_scalar(types, &p.ty))
            && let Some(more) = &more
            && let Some(item) = struct_of(types, item_ty)
            && let Some(id) = ITEM_IDS.iter().find_map(|name| {
                item.fields.iter().find(|f| {
                    !f.flatten && norm(&f.wire) == *name && is_scalar(types, &f.full_ty())
                })
            })
        {
            return Some(Pagination {
                cursor_field: param.ident.clone(),
                next: NextCursor::LastItem(vec![field_ref(id)]),
                items: Some(items.clone()),
                item_ty: item_ty.clone(),
                more: Some(more.clone()),
            });
        }
    }

    // Offsets and page numbers also page bare lists (`[...]` as the whole response).
    let (items, item_ty) = match items {
        Some((items, item_ty)) => (Some(items), item_ty),
        None => (None, bare_list(types, response)?),
    };
    if let Some(param) = query(OFFSET_PARAMS).filter(|p| is_integer(types, &p.ty)) {
        return Some(Pagination {
            cursor_field: param.ident.clone(),
            next: NextCursor::Offset {
                first: integer_default(param).unwrap_or(0),
            },
            items,
            item_ty,
            more,
        });
    }
    // A page number pages only when its first page is known: guessing 1 where pages
    // start at 0 would silently skip a page.
    if let Some(param) = query(PAGE_PARAMS).filter(|p| is_integer(types, &p.ty))
        && let Some(first) = integer_default(param)
    {
        return Some(Pagination {
            cursor_field: param.ident.clone(),
            next: NextCursor::Page { first },
            items,
            item_ty,
            more,
        });
    }
    None
}

/// The field holding the next cursor: at the top of the page, or one level down in an
/// object such as `meta` or `pagination`.
fn next_cursor_path(types: &[TypeDef], page: &Struct) -> Option<Vec<FieldRef>> {
    fn direct<'s>(types: &[TypeDef], s: &'s Struct) -> Option<&'s Field> {
        NEXT_FIELDS.iter().find_map(|name| {
            s.fields
                .iter()
                .find(|f| !f.flatten && norm(&f.wire) == *name && is_scalar(types, &f.full_ty()))
        })
    }
    if let Some(field) = direct(types, page) {
        return Some(vec![field_ref(field)]);
    }
    CURSOR_HOLDERS.iter().find_map(|name| {
        let holder = page
            .fields
            .iter()
            .find(|f| !f.flatten && norm(&f.wire) == *name)?;
        let inner = struct_of(types, &holder.ty)?;
        Some(vec![field_ref(holder), field_ref(direct(types, inner)?)])
    })
}

fn items_field<'t>(types: &[TypeDef], page: &'t Struct) -> Option<&'t Field> {
    let lists: Vec<_> = page
        .fields
        .iter()
        .filter(|f| !f.flatten && list_item(types, &f.full_ty()).is_some())
        .collect();
    let named = ITEM_FIELDS
        .iter()
        .find_map(|name| lists.iter().find(|f| norm(&f.wire) == *name).copied());
    match lists[..] {
        [only] => Some(only),
        _ => named,
    }
}

fn field_ref(field: &Field) -> FieldRef {
    FieldRef {
        ident: field.ident.clone(),
        ty: field.full_ty(),
    }
}

/// `ty` with options and boxes taken off and aliases followed.
fn bare<'t>(types: &'t [TypeDef], mut ty: &'t Ty) -> &'t Ty {
    for _ in 0..64 {
        ty = match ty {
            Ty::Option(inner) | Ty::Boxed(inner) => inner,
            Ty::Named(id) => match &types[*id].kind {
                TypeKind::Alias(inner) => inner,
                _ => return ty,
            },
            _ => return ty,
        };
    }
    ty
}

fn struct_of<'t>(types: &'t [TypeDef], ty: &Ty) -> Option<&'t Struct> {
    match bare(types, ty) {
        Ty::Named(id) => match &types[*id].kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn list_item(types: &[TypeDef], ty: &Ty) -> Option<Ty> {
    match bare(types, ty) {
        Ty::Vec(item) => Some((**item).clone()),
        _ => None,
    }
}

fn is_integer(types: &[TypeDef], ty: &Ty) -> bool {
    matches!(bare(types, ty), Ty::I32 | Ty::I64 | Ty::U64)
}

/// A cursor that can be written as text and read back.
fn is_scalar(types: &[TypeDef], ty: &Ty) -> bool {
    matches!(bare(types, ty), Ty::String) || is_integer(types, ty)
}

fn is_bool(types: &[TypeDef], ty: &Ty) -> bool {
    matches!(bare(types, ty), Ty::Bool)
}

fn integer_default(param: &Param) -> Option<i64> {
    param
        .docs
        .default
        .as_deref()?
        .trim_matches('"')
        .parse()
        .ok()
}

/// The page of a single JSON object response.
fn page_struct<'t>(types: &'t [TypeDef], response: &ResponseShape) -> Option<&'t Struct> {
    match response {
        ResponseShape::Single(ResponseBody::Json(ty)) if !matches!(ty, Ty::Option(_)) => {
            struct_of(types, ty)
        }
        _ => None,
    }
}

/// The item type of a response that is a bare JSON list.
fn bare_list(types: &[TypeDef], response: &ResponseShape) -> Option<Ty> {
    match response {
        ResponseShape::Single(ResponseBody::Json(ty)) if !matches!(ty, Ty::Option(_)) => {
            list_item(types, ty)
        }
        _ => None,
    }
}
