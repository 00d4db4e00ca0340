extension JSON {
    /// The result of applying `patch` to this value as an RFC 7396 JSON merge patch:
    /// object members of the patch replace members of the target, `null` members remove them,
    /// and a non-object patch replaces the whole target.
    public func applyingMergePatch(_ patch: JSON) -> JSON {
        guard case .object(let patchMembers) = patch else { return patch }
        var members = objectValue ?? [:]
        for (key, value) in patchMembers {
            if value == .null {
                members.removeValue(forKey: key)
            } else {
                members[key] = (members[key] ?? .null).applyingMergePatch(value)
            }
        }
        return .object(members)
    }
}
