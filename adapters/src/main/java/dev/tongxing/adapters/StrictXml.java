package dev.tongxing.adapters;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads an XML answer with a parser that cannot be turned against the hub: a document type
 * declaration of any kind is an error, so external entities (XXE) and entity expansion ("billion
 * laughs") never get as far as being resolved. The charset is decided before parsing, from the
 * Content-Type header and the XML declaration, which must agree when both are present; the parser
 * then only ever sees already decoded characters.
 *
 * <p>Accessors treat a repeated element as an error (like a duplicate JSON key) and name the element
 * path they could not read.
 */
public final class StrictXml {

    private static final DocumentBuilderFactory FACTORY = hardenedFactory();
    /** Builders are not thread-safe and costly to create; each thread reuses its own, reset before use. */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(() -> {
        try {
            return FACTORY.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
        }
    });
    private static final Pattern DECLARATION = Pattern.compile("^<\\?xml\\s[^>]*?\\?>");
    private static final Pattern ENCODING = Pattern.compile("\\sencoding\\s*=\\s*([\"'])(.*?)\\1", Pattern.DOTALL);
    /** XML 1.0 production EncName; anything else in the declaration rejects the answer. */
    private static final Pattern ENCODING_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,39}");
    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final String sourceId;

    private StrictXml(String sourceId) {
        this.sourceId = sourceId;
    }

    public static StrictXml of(SourceSettings source) {
        return new StrictXml(source.id());
    }

    private static DocumentBuilderFactory hardenedFactory() {
        // The JDK's own implementation, whatever else is on the class path.
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        return factory;
    }

    /**
     * Decides the body's charset (Content-Type charset, XML declaration, else UTF-8), requires it to be
     * one of {@code allowed}, decodes strictly and parses into the document's root element, which must
     * have the given name.
     */
    public Element document(UpstreamReply reply, byte[] body, SourceSettings source, Set<Charset> allowed, String rootName) {
        Optional<Charset> header = StrictReply.declaredCharset(reply, source);
        Optional<Charset> prolog = declaredEncoding(body, source);
        if (header.isPresent() && prolog.isPresent() && !header.get().equals(prolog.get())) {
            throw new RejectedAnswer(sourceId, "Content-Type says charset " + header.get().name()
                    + " but the XML declaration says " + prolog.get().name());
        }
        Charset charset = header.or(() -> prolog).orElse(StandardCharsets.UTF_8);
        if (!allowed.contains(charset)) {
            throw new RejectedAnswer(sourceId, "charset " + charset.name() + " (expected one of "
                    + allowed.stream().map(Charset::name).sorted().toList() + ")");
        }
        String text = StrictReply.decode(body, charset, source);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Document document;
        try {
            DocumentBuilder builder = BUILDERS.get();
            builder.reset();
            builder.setErrorHandler(STRICT);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused");
            });
            document = builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            throw new RejectedAnswer(sourceId, "body is not acceptable XML (line " + e.getLineNumber() + ")"
                    + (text.contains("<!DOCTYPE") || text.contains("<!doctype") ? ": document type declarations are refused" : ""));
        } catch (SAXException | IOException | RuntimeException e) {
            throw new RejectedAnswer(sourceId, "body is not acceptable XML");
        }
        Element root = document.getDocumentElement();
        if (root == null || !root.getTagName().equals(rootName)) {
            throw new RejectedAnswer(sourceId, "root element is not <" + rootName + ">");
        }
        return root;
    }

    /** The encoding named by the XML declaration, read as ASCII (GBK and UTF-8 agree there). */
    private Optional<Charset> declaredEncoding(byte[] body, SourceSettings source) {
        int offset = body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF ? 3 : 0;
        String head = new String(body, offset, Math.min(200, body.length - offset), StandardCharsets.ISO_8859_1);
        Matcher declaration = DECLARATION.matcher(head);
        if (!declaration.find()) {
            return Optional.empty();
        }
        Matcher encoding = ENCODING.matcher(declaration.group());
        if (!encoding.find()) {
            return Optional.empty();
        }
        if (!ENCODING_NAME.matcher(encoding.group(2)).matches()) {
            throw new RejectedAnswer(sourceId, "XML declaration names encoding '" + StrictReply.printable(encoding.group(2)) + "'");
        }
        return Optional.of(StrictReply.charset(encoding.group(2), source));
    }

    /** The single child element of that name, or empty; a repeated element is rejected. */
    public Optional<Element> optionalChild(Element parent, String name, String path) {
        Element found = null;
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                if (found != null) {
                    throw new RejectedAnswer(sourceId, "element '" + path + "' appears more than once");
                }
                found = element;
            }
        }
        return Optional.ofNullable(found);
    }

    public Element requiredChild(Element parent, String name, String path) {
        return optionalChild(parent, name, path)
                .orElseThrow(() -> new RejectedAnswer(sourceId, "missing element '" + path + "'"));
    }

    /** Trimmed text of a child that holds only text; empty when the element is absent or empty. */
    public String optionalText(Element parent, String name, String path) {
        Optional<Element> child = optionalChild(parent, name, path);
        if (child.isEmpty()) {
            return "";
        }
        for (Node node = child.get().getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                throw new RejectedAnswer(sourceId, "element '" + path + "' holds elements, not text");
            }
        }
        return child.get().getTextContent().strip();
    }

    public String requiredText(Element parent, String name, String path) {
        String text = optionalText(parent, name, path);
        if (text.isEmpty()) {
            throw new RejectedAnswer(sourceId, "missing element '" + path + "'");
        }
        return text;
    }

    /** A local date-time in the source's zone, in the given pattern. */
    public Instant requiredDateTime(Element parent, String name, String path, DateTimeFormatter format, ZoneId zone) {
        String text = requiredText(parent, name, path);
        try {
            return LocalDateTime.parse(text, format).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new RejectedAnswer(sourceId, "element '" + path + "' is not a date-time like " + format);
        }
    }

    /** Escapes text for an element's content in a request the hub writes. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
