package io.tlswatch.store.alert;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.tlswatch.store.problem.InvalidRequestException;
import io.tlswatch.store.problem.Problem.FieldError;
import io.tlswatch.tlsrpt.alerting.AlertRequests;
import io.tlswatch.tlsrpt.alerting.AlertView;
import io.tlswatch.tlsrpt.alerting.Claim;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * alert-service claims a domain's alert slot here and records what became of it (internal token).
 * Refusals and lost claims are 409 problems with a {@code reason}; see {@link AlertConflictException}.
 */
@Path("/internal/v1/alerts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
// Claim (tlsrpt-model, no Quarkus there) is a Response entity, which Quarkus cannot see at build time:
// registered so a native image serialises it.
@RegisterForReflection(targets = Claim.class)
public class InternalAlertResource {

    private final AlertService alerts;

    InternalAlertResource(AlertService alerts) {
        this.alerts = alerts;
    }

    /** 201 with the {@link Claim}; 409 while suppressed, in flight, waiting for a retry, or reporting is off. */
    @POST
    @Path("/claims")
    public Uni<Response> claim(AlertRequests.ClaimRequest request) {
        if (request == null) {
            throw new InvalidRequestException("domain", "missing: give the domain's name or its id");
        }
        DomainRef domain = DomainRef.of(request.domain(), request.domainId(), "domain");
        return alerts.claim(domain).map(claim -> Response.status(Response.Status.CREATED).entity(claim).build());
    }

    /** The mail server took the alert; starts the domain's suppression window. 200 with the {@link AlertView}. */
    @POST
    @Path("/{id}/sent")
    public Uni<AlertView> sent(@PathParam("id") long id, AlertRequests.Sent request) {
        List<FieldError> errors = new ArrayList<>();
        UUID claim = claim(request == null ? null : request.claim(), errors);
        if (request == null || request.recipients() == null || request.recipients().isEmpty()) {
            errors.add(new FieldError("recipients", "missing: the addresses the alert went to"));
        } else if (request.recipients().stream().anyMatch(r -> r == null || r.isBlank())) {
            errors.add(new FieldError("recipients", "must not hold blank addresses"));
        }
        if (request != null && request.failedSessions() != null && request.failedSessions() < 0) {
            errors.add(new FieldError("failed-sessions", "must not be negative"));
        }
        check(errors);
        return alerts.markSent(id, claim, request.recipients(), request.messageId(), request.failedSessions());
    }

    /** The send failed: releases the claim for a retry at {@code retry-at} (or after a backoff). 200. */
    @POST
    @Path("/{id}/failed")
    public Uni<AlertView> failed(@PathParam("id") long id, AlertRequests.Failed request) {
        List<FieldError> errors = new ArrayList<>();
        UUID claim = claim(request == null ? null : request.claim(), errors);
        if (request == null || request.error() == null || request.error().isBlank()) {
            errors.add(new FieldError("error", "missing: why the send failed"));
        }
        check(errors);
        return alerts.markFailed(id, claim, request.error(), request.retryAt());
    }

    /** The organisation has no alert address: shown in the history; starts no suppression window. 200. */
    @POST
    @Path("/{id}/no-recipients")
    public Uni<AlertView> noRecipients(@PathParam("id") long id, AlertRequests.NoRecipients request) {
        List<FieldError> errors = new ArrayList<>();
        UUID claim = claim(request == null ? null : request.claim(), errors);
        if (request != null && request.failedSessions() != null && request.failedSessions() < 0) {
            errors.add(new FieldError("failed-sessions", "must not be negative"));
        }
        check(errors);
        return alerts.markNoRecipients(id, claim, request.failedSessions());
    }

    private static UUID claim(String token, List<FieldError> errors) {
        if (token == null || token.isBlank()) {
            errors.add(new FieldError("claim", "missing: the claim token the claim answered"));
            return null;
        }
        try {
            return UUID.fromString(token);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("claim", "not a claim token"));
            return null;
        }
    }

    private static void check(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
