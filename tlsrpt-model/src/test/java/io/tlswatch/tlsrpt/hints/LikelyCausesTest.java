package io.tlswatch.tlsrpt.hints;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlswatch.tlsrpt.ResultType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LikelyCausesTest {

    @Test
    void everyResultTypeOfRfc8460HasItsOwnExplanation() {
        List<String> registered = Arrays.stream(ResultType.values()).map(ResultType::wireName).toList();
        assertThat(LikelyCauses.KNOWN).containsExactlyInAnyOrderElementsOf(registered);
        for (String type : registered) {
            LikelyCauses.Explanation why = LikelyCauses.explain(type, "example.com");
            assertThat(why.known()).as(type).isTrue();
            assertThat(why.meaning()).as(type).isNotBlank().doesNotContain("%");
            assertThat(why.likelyCause()).as(type).isNotBlank().doesNotContain("%");
        }
        assertThat(registered.stream().map(t -> LikelyCauses.explain(t, "example.com").likelyCause()).distinct())
                .hasSize(registered.size());
    }

    @Test
    void policyTextsNameTheDomainsPolicyLocation() {
        assertThat(LikelyCauses.explain("sts-policy-fetch-error", "example.com").likelyCause())
                .contains("The policy at https://mta-sts.example.com/.well-known/mta-sts.txt could not be fetched");
        assertThat(LikelyCauses.explain("sts-webpki-invalid", "example.com").likelyCause()).contains("mta-sts.example.com");
        assertThat(LikelyCauses.explain(" Certificate-Expired ", "example.com").likelyCause())
                .contains("The MX certificate has expired");
    }

    @Test
    void anUnknownTypeGetsTheGenericText() {
        LikelyCauses.Explanation why = LikelyCauses.explain("quantum-decoherence", "example.com");
        assertThat(why.known()).isFalse();
        assertThat(why.resultType()).isEqualTo("quantum-decoherence");
        assertThat(why.likelyCause()).contains("failure-reason-code");
        assertThat(LikelyCauses.explain(null, "example.com").known()).isFalse();
    }

    @Test
    void theMxHintSaysToUpdateThePolicyFileAndItsId() {
        assertThat(LikelyCauses.mxNotInPolicy("example.com", List.of("mx.new.example"), List.of("*.old.example")))
                .hasValueSatisfying(hint -> assertThat(hint)
                        .startsWith("The MX host mx.new.example matches none of the mx: patterns of the MTA-STS "
                                + "policy (*.old.example)")
                        .contains("update the policy file at https://mta-sts.example.com/.well-known/mta-sts.txt")
                        .contains("change its id in the _mta-sts.example.com TXT record"));
        assertThat(LikelyCauses.mxNotInPolicy("example.com", List.of("a.example", "b.example"), List.of("c.example")))
                .hasValueSatisfying(hint -> assertThat(hint).startsWith("The MX hosts a.example, b.example match none"));
        assertThat(LikelyCauses.mxNotInPolicy("example.com", List.of(), List.of("c.example"))).isEmpty();
    }
}
