//! Recursion: a struct or union that holds itself by value gets a `Box` where the cycle
//! needs one, and type aliases on a cycle (which Rust forbids) become newtypes.

use crate::ir::{Ty, TypeId, TypeKind};

use super::TypeSpace;

impl TypeSpace<'_> {
    /// Wraps fields whose type leads back to their own type without indirection.
    pub(crate) fn box_cycles(&mut self) {
        self.alias_cycles_to_newtypes();
        let edges: Vec<Vec<TypeId>> = self.types.iter().map(|t| direct_refs(&t.kind)).collect();
        for owner in TypeId::all(&self.types) {
            let box_if = |ty: &mut Ty| {
                if let Some(target) = direct_target(ty)
                    && reaches(&edges, &[target], owner)
                {
                    box_direct(ty);
                }
            };
            match &mut self.types[owner].kind {
                TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_if(&mut f.ty)),
                TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_if(&mut v.ty)),
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => box_if(ty),
                TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::ValueEnum(_) => {}
            }
        }
    }

    /// Type aliases may not refer to themselves, even through `Vec`: every alias on a
    /// cycle of aliases becomes a transparent newtype.
    fn alias_cycles_to_newtypes(&mut self) {
        let aliases: Vec<Vec<TypeId>> = self
            .types
            .iter()
            .map(|t| match &t.kind {
                TypeKind::Alias(ty) => {
                    let mut out = Vec::new();
                    named_in(ty, &mut out);
                    out
                }
                _ => Vec::new(),
            })
            .collect();
        let on_cycle: Vec<TypeId> = TypeId::all(&self.types)
            .filter(|&start| reaches(&aliases, &aliases[start.index()], start))
            .collect();
        for id in on_cycle {
            if let TypeKind::Alias(ty) = &self.types[id].kind {
                self.types[id].kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
}

/// Whether following `edges` from any of `from` arrives at `to`.
fn reaches(edges: &[Vec<TypeId>], from: &[TypeId], to: TypeId) -> bool {
    let mut stack = from.to_vec();
    let mut seen = vec![false; edges.len()];
    while let Some(at) = stack.pop() {
        if at == to {
            return true;
        }
        if !std::mem::replace(&mut seen[at.index()], true) {
            stack.extend(edges[at.index()].iter().copied());
        }
    }
    false
}

/// Every named type mentioned anywhere in `ty`.
fn named_in(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) | Ty::Boxed(inner) => {
            named_in(inner, out)
        }
        _ => {}
    }
}

/// The named type a type holds by value (through `Option` only), if any.
fn direct_target(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Option(inner) => direct_target(inner),
        _ => None,
    }
}

fn box_direct(ty: &mut Ty) {
    match ty {
        Ty::Option(inner) => box_direct(inner),
        Ty::Named(_) => *ty = Ty::Boxed(Box::new(ty.clone())),
        _ => {}
    }
}

/// The types a type holds by value.
fn direct_refs(kind: &TypeKind) -> Vec<TypeId> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| direct_target(&v.ty))
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_target(ty).into_iter().collect(),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) | TypeKind::ValueEnum(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::reaches;
    use crate::ir::TypeId;

    #[test]
    fn reachability_follows_edges_and_stops_on_loops() {
        let id = TypeId::for_test;
        let edges = vec![vec![id(1)], vec![id(2)], vec![id(1)], vec![]];
        assert!(reaches(&edges, &[id(0)], id(2)));
        assert!(reaches(&edges, &edges[1], id(1)));
        assert!(!reaches(&edges, &[id(1)], id(0)));
        assert!(!reaches(&edges, &edges[3], id(3)));
    }
}
