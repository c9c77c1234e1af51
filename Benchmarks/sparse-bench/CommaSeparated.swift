import ArgumentParser

/// A comma-separated option value such as `--densities 0.01,0.1` or `--formats csr,bsr`.
struct CommaSeparated<Element: ExpressibleByArgument & CustomStringConvertible & Sendable>:
    ExpressibleByArgument, Sendable, CustomStringConvertible
{
    var values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
        var values = [Element]()
        for part in parts {
            let text = part.trimmingSpaces
            guard !text.isEmpty, let value = Element(argument: text) else { return nil }
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    var description: String { values.map(\.description).joined(separator: ",") }
    var defaultValueDescription: String { description }
    static var allValueStrings: [String] { Element.allValueStrings }
}

extension Substring {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
