//! "Did you mean …?": the candidate closest to a misspelt name, by edit distance.

/// The candidate nearest to `name`, if it is near enough to be a likely typo: at most one
/// edit away for names of up to four characters, two for longer ones, and never `name`
/// itself.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, counting an adjacent transposition as one edit.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, row);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_edits_and_transpositions() {
        assert_eq!(edit_distance("sync", "sync"), 0);
        assert_eq!(edit_distance("synk", "sync"), 1);
        assert_eq!(edit_distance("snyc", "sync"), 1);
        assert_eq!(edit_distance("list_cell", "list_cells"), 1);
        assert_eq!(edit_distance("", "get"), 3);
    }

    #[test]
    fn only_near_names_are_suggested() {
        let names = ["kind", "name", "deps", "credentials"];
        assert_eq!(nearest("knd", names), Some("kind"));
        assert_eq!(nearest("credential", names), Some("credentials"));
        assert_eq!(nearest("colour", names), None);
        assert_eq!(nearest("kind", names), None);
        assert_eq!(nearest("dep", names), Some("deps"));
    }
}
