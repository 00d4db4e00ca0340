import Foundation

/// `ComparisonResult` under short names, for readable test tables.
enum ComparisonOrder: Equatable {
    case less, same, greater

    init(_ result: ComparisonResult) {
        switch result {
        case .orderedAscending: self = .less
        case .orderedSame: self = .same
        case .orderedDescending: self = .greater
        }
    }
}
