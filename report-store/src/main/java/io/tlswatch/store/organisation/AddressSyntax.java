package io.tlswatch.store.organisation;

import io.tlswatch.store.problem.InvalidRequestException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Alert addresses: one bare RFC 5322 address (Angus Mail's strict parser) with an ASCII local part
 * and a domain name (no address literal), whose domain is stored as its lower-case A-label.
 */
public final class AddressSyntax {

    static final String FIELD = "address";
    static final int MAX_LENGTH = 254;   // RFC 5321 path limit less the angle brackets
    static final int MAX_LOCAL_LENGTH = 64;

    private AddressSyntax() {
    }

    /** The normalised address, or an {@link InvalidRequestException} on {@code address}. */
    public static String normalise(String input) {
        if (input == null || input.isBlank()) {
            throw new InvalidRequestException(FIELD, "required");
        }
        String address = input.strip();
        InternetAddress parsed;
        try {
            parsed = new InternetAddress(address, true);
        } catch (AddressException e) {
            throw invalid(address, e.getMessage());
        }
        if (parsed.isGroup() || parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
            throw invalid(address, "give one bare address such as alerts@example.net, without a name, "
                    + "angle brackets, comments or a group");
        }
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        if (!local.chars().allMatch(c -> c < 0x80)) {
            throw invalid(address, "the part before @ must be ASCII");
        }
        if (local.length() > MAX_LOCAL_LENGTH) {
            throw invalid(address, "the part before @ is longer than " + MAX_LOCAL_LENGTH + " characters");
        }
        String domain = DomainSyntax.toALabel(FIELD, address.substring(at + 1));
        String normalised = local + "@" + domain;
        if (normalised.length() > MAX_LENGTH) {
            throw invalid(address, "it is longer than " + MAX_LENGTH + " characters");
        }
        return normalised;
    }

    /** The (A-label) domain part of a normalised address. */
    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    private static InvalidRequestException invalid(String address, String why) {
        return new InvalidRequestException(FIELD,
                "'" + DomainSyntax.abbreviate(address) + "' is not a valid e-mail address: " + why);
    }
}
