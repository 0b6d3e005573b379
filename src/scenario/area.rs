//! The issue areas a dialogue can work on (C5, C15, C16), as a type.

use std::fmt;

/// One issue area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Area {
    /// Intelligence exchange (C5).
    Intelligence,
    /// Evacuation of nationals, a NEO arrangement (C5, F2).
    Evacuation,
    /// Cybersecurity (C16).
    Cyber,
    /// Maritime affairs (C16).
    Maritime,
    /// Rear-area support to US forces (C5).
    RearArea,
}

impl Area {
    /// Every area, in the fixed order the model visits them.
    pub const ALL: [Area; 5] = [
        Area::Intelligence,
        Area::Evacuation,
        Area::Cyber,
        Area::Maritime,
        Area::RearArea,
    ];

    /// The name used in scenario files and outputs.
    pub const fn name(self) -> &'static str {
        match self {
            Area::Intelligence => "intelligence",
            Area::Evacuation => "evacuation",
            Area::Cyber => "cyber",
            Area::Maritime => "maritime",
            Area::RearArea => "rear-area",
        }
    }

    /// The area with this name.
    pub fn from_name(name: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Every area's name, in order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Area::ALL.into_iter().map(Area::name)
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of issue areas (an agenda).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AreaSet(u8);

impl AreaSet {
    /// No area.
    pub const EMPTY: AreaSet = AreaSet(0);

    /// Whether `a` is in the set.
    pub const fn contains(self, a: Area) -> bool {
        self.0 & a.bit() != 0
    }

    /// Add `a`; returns false when it was there already.
    pub fn insert(&mut self, a: Area) -> bool {
        let had = self.contains(a);
        self.0 |= a.bit();
        !had
    }

    /// Number of areas in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The areas in the set, in [`Area::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Area> {
        Area::ALL.into_iter().filter(move |&a| self.contains(a))
    }

    /// The set of these areas.
    pub fn of(areas: &[Area]) -> AreaSet {
        let mut s = AreaSet::EMPTY;
        for &a in areas {
            s.insert(a);
        }
        s
    }
}

impl fmt::Display for AreaSet {
    /// `intelligence+evacuation`, or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, a) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            f.write_str(a.name())?;
        }
        Ok(())
    }
}

/// One value per issue area.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PerArea<T>(pub [T; 5]);

impl<T> std::ops::Index<Area> for PerArea<T> {
    type Output = T;
    fn index(&self, a: Area) -> &T {
        &self.0[a as usize]
    }
}

impl<T> std::ops::IndexMut<Area> for PerArea<T> {
    fn index_mut(&mut self, a: Area) -> &mut T {
        &mut self.0[a as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_fixed_order() {
        let names: Vec<_> = Area::names().collect();
        assert_eq!(
            names,
            [
                "intelligence",
                "evacuation",
                "cyber",
                "maritime",
                "rear-area"
            ]
        );
        for a in Area::ALL {
            assert_eq!(Area::from_name(a.name()), Some(a));
        }
        assert_eq!(Area::from_name("rear_area"), None);
    }

    #[test]
    fn sets_count_iterate_and_print_in_order() {
        let s = AreaSet::of(&[Area::Maritime, Area::Intelligence, Area::Maritime]);
        assert_eq!(s.len(), 2);
        assert!(s.contains(Area::Maritime) && !s.contains(Area::Cyber));
        assert_eq!(s.to_string(), "intelligence+maritime");
        assert_eq!(AreaSet::EMPTY.to_string(), "none");
        let mut t = s;
        assert!(!t.insert(Area::Intelligence));
        assert!(t.insert(Area::RearArea));
        assert_eq!(t.iter().last(), Some(Area::RearArea));
    }
}
