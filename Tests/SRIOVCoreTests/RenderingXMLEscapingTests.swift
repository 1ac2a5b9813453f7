import SRIOVCore
import Testing

@Suite("Rendering: XML escaping")
struct RenderingXMLEscapingTests {
    @Test("the five XML metacharacters become entity references")
    func metacharacters() {
        #expect(XMLEscaping.attribute(#"a&b<c>d'e"f"#) == "a&amp;b&lt;c&gt;d&apos;e&quot;f")
    }

    @Test("an already escaped value is escaped again, never passed through")
    func noDoubleDecoding() {
        #expect(XMLEscaping.attribute("&amp;") == "&amp;amp;")
    }

    @Test("tab, newline and carriage return become character references; other text is unchanged")
    func whitespaceAndText() {
        #expect(XMLEscaping.attribute("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d")
        #expect(XMLEscaping.attribute("Grüße 52:54:00") == "Grüße 52:54:00")
    }

    @Test("unsafe characters are found and named for error messages")
    func unsafeCharacters() {
        #expect(XMLEscaping.firstUnsafeCharacter(in: "plain-id_1.2") == nil)
        #expect(XMLEscaping.firstUnsafeCharacter(in: "x<y") == "<")
        #expect(XMLEscaping.containsXMLUnsafeCharacter("a\u{0}b"))
        #expect(XMLEscaping.containsXMLUnsafeCharacter("a\u{85}b"))
        #expect(XMLEscaping.describe("<") == "'<'")
        #expect(XMLEscaping.describe("\u{1b}") == "U+001B")
    }
}
