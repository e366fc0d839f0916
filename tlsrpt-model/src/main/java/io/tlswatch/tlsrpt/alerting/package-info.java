/**
 * What report-store and alert-service say to each other over {@code /internal/v1}: failure events and
 * the cursor over them, alert claims and their outcomes, and the alert context a mail is written from.
 * report-store answers with these records and alert-service reads them, so the JSON names are written
 * once and cannot drift. Plain records with Jackson annotations only: no Quarkus here, so each service
 * registers what it needs for a native image itself.
 */
package io.tlswatch.tlsrpt.alerting;
