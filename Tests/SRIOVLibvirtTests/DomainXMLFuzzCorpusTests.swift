import SRIOVCore
import SRIOVLibvirt
import SRIOVTesting
import Testing

/// The FuzzDomainXML corpus (Fuzz/corpus/FuzzDomainXML) replayed through the parser, and the
/// crash fuzzing found: Foundation's XMLParser on Linux dies with SIGSEGV (strlen of NULL) on
/// a processing instruction without data, `<?a?>`, however it reaches libxml2.
@Suite("Domain XML fuzz corpus")
struct DomainXMLFuzzCorpusTests {
    private static func text(_ name: String) throws -> String {
        String(decoding: try #require(FuzzCorpus.input("FuzzDomainXML", name)), as: UTF8.self)
    }

    private static func message(_ xml: String) -> String? {
        do {
            _ = try DomainXMLParser.parse(xml)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("Every input of the corpus parses or is refused with an error; none crashes")
    func corpus() {
        let inputs = FuzzCorpus.inputs("FuzzDomainXML")
        #expect(inputs.count >= 10)
        for input in inputs {
            _ = Self.message(String(decoding: input.bytes, as: UTF8.self))
        }
    }

    @Test("A processing instruction without data is refused with its line instead of crashing sriovctl")
    func instructionWithoutData() throws {
        #expect(Self.message(try Self.text("regression-pi-without-data.xml"))
                == "domain XML line 3: cannot parse: a processing instruction without data (<?a?>)")
        // The input fuzzing found (575 bytes of mangled markup): `<?xm?>` on line 10.
        #expect(Self.message(try Self.text("regression-fuzzer-crash-pi-without-data.xml"))
                == "domain XML line 10: cannot parse: a processing instruction without data (<?xm?>)")
    }

    @Test("The same instruction made by an entity, a UTF-7 declaration or NULs (UTF-16 guessed) is refused")
    func instructionInDisguise() throws {
        #expect(Self.message(try Self.text("regression-pi-from-entity.xml"))
                == "domain XML line 1: cannot parse: a DOCTYPE declaration (libvirt never writes one)")
        #expect(Self.message(try Self.text("regression-pi-in-utf7.xml"))
                == "domain XML line 1: cannot parse: the encoding 'UTF-7' (only UTF-8 is read)")
        #expect(Self.message(try Self.text("regression-pi-in-utf16-guessed-from-nul.xml"))
                == "domain XML line 1: cannot parse: a NUL character")
    }

    @Test("An instruction without data after a broken one (libxml2 recovers and reaches it) is refused too")
    func instructionAfterBrokenMarkup() throws {
        #expect(Self.message(try Self.text("regression-fuzzer-crash-pi-after-broken-pi.xml"))
                == "domain XML line 4: cannot parse: a processing instruction without data (<?a?>)")
        #expect(Self.message("<domain><!-- <?a?> --></domain>")
                == "domain XML line 1: cannot parse: a processing instruction without data (<?a?>)")
    }

    @Test("An instruction with data and a UTF-8 declaration still parse")
    func harmlessMarkup() throws {
        let parsed = try DomainXMLParser.parse(try Self.text("pi-with-data-utf8-declaration.xml"))
        #expect(parsed.name == "web&A")
        #expect(parsed.hostdevInterfaces.map(\.mac) == [MACAddress("02:5a:00:00:00:01")!])
        #expect(try DomainXMLParser.parse("<?xml version='1.0' encoding='utf-8'?>\n<domain><name>g</name></domain>").name == "g")
    }
}
