package io.tlswatch.store.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tlswatch.store.alert.Fixtures;
import io.tlswatch.store.testing.Reports;
import io.tlswatch.store.testing.Sql;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium from the Debian packages {@code chromium} and
 * {@code chromium-driver}, driven by Selenium. A mail administrator who got an alert signs in, sees the
 * failing domain first, opens it, opens a report, adds an in-band alert address and sees the warning, and
 * signs out. Each page is saved as a screenshot under {@code target/screenshots/} for a person to look at.
 * Without Chromium the test is skipped with a message, unless {@code TLSWATCH_REQUIRE_BROWSER=1} (CI) makes
 * it fail.
 */
@QuarkusTest
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("tlswatch.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("tlswatch.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static ChromeDriver browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian: apt-get install chromium chromium-driver)";
            if ("1".equals(System.getenv("TLSWATCH_REQUIRE_BROWSER"))) {
                Assertions.fail(missing + "; TLSWATCH_REQUIRE_BROWSER=1 requires them");
            }
            Assumptions.abort(missing + ": skipped");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1800",
                "--disable-dev-shm-usage", "--lang=en");
        // The driver named here, so Selenium Manager never looks for one on the network.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(2));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdministratorFollowsAnAlertToItsCauseAndAddsAnAddress() throws IOException {
        String domain = "mail-" + Fixtures.uniqueDomain();
        long organisation = Fixtures.organisation("Contoso " + UUID.randomUUID().toString().substring(0, 6));
        Fixtures.domain(organisation, domain, true);
        Fixtures.recipient(organisation, "tls-alerts@contoso.onmicrosoft.com");
        seedMonthOfReports(domain);

        browser.get(base + "domains/" + domain);
        await().until(ExpectedConditions.urlContains("/login"));
        screenshot("1-sign-in");
        browser.findElement(By.id("j_username")).sendKeys(SignedIn.ADMIN);
        browser.findElement(By.id("j_password")).sendKeys(SignedIn.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        // Back on the page the alert linked to.
        await().until(ExpectedConditions.urlContains("/domains/" + domain));
        await().until(ExpectedConditions.presenceOfElementLocated(By.id("sign-out")));

        browser.get(base.toString());
        List<WebElement> rows = await().until(ExpectedConditions.presenceOfAllElementsLocatedBy(
                By.cssSelector("#domains tbody tr")));
        assertThat(rows.get(0).getAttribute("data-state")).isEqualTo("failing");
        screenshot("2-domains");

        browser.findElement(By.linkText(domain)).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("sessions-chart")));
        assertThat(browser.findElements(By.cssSelector("#sessions-chart rect.fail"))).isNotEmpty();
        assertThat(browser.findElement(By.id("by-result-type")).getText()).contains("certificate-expired");
        assertThat(browser.findElement(By.id("by-mx-host")).getText()).contains("mx2.new-provider.example");
        assertThat(browser.findElement(By.id("likely-causes")).getText()).contains("renew it");
        screenshot("3-domain");
        browser.manage().window().setSize(new Dimension(390, 1600));
        screenshot("3-domain-phone");
        browser.manage().window().setSize(new Dimension(1280, 1800));

        browser.findElement(By.linkText("This domain's reports")).click();
        await().until(ExpectedConditions.presenceOfElementLocated(By.id("reports")));
        screenshot("4-reports");
        browser.findElement(By.cssSelector("#reports tbody tr.has-failures a")).click();
        await().until(ExpectedConditions.visibilityOfElementLocated(By.id("raw-json")));
        assertThat(browser.findElement(By.id("details")).getText()).containsAnyOf("certificate-expired", "certificate-host-mismatch");
        assertThat(browser.findElement(By.id("raw-json")).getText()).contains("\"policy-domain\" : \"" + domain + "\"");
        screenshot("5-report");

        browser.findElement(By.linkText("Settings")).click();
        WebElement section = await().until(ExpectedConditions.presenceOfElementLocated(By.id("org-" + organisation)));
        section.findElement(By.name("address")).sendKeys("postmaster@" + domain);
        section.findElement(By.xpath(".//button[text()='Add address']")).click();
        WebElement warning = await().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#org-" + organisation + " .in-band")));
        assertThat(warning.getText()).contains("postmaster@" + domain + " is in-band")
                .contains("Use an out-of-band address");
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", warning);
        screenshot("6-settings");

        browser.findElement(By.id("sign-out")).click();
        await().until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "You are signed out"));
        screenshot("7-signed-out");
        browser.get(base + "settings");
        await().until(ExpectedConditions.urlContains("/login"));
        assertThat(browser.findElements(By.id("sign-out"))).isEmpty();
    }

    /**
     * A month of daily reports from two senders: all well until five days ago, when the certificate expired
     * and mail went to a new MX host the MTA-STS policy does not list.
     */
    private static void seedMonthOfReports(String domain) {
        for (int day = 29; day >= 0; day--) {
            boolean broken = day <= 4;
            Reports.store(Reports.daily("Google LLC", UUID.randomUUID().toString(), domain, day,
                    broken ? 60 + day * 7 : 180 + (day * 37) % 50, broken ? 40 + day * 5 : 0,
                    "certificate-expired", "mx1." + domain));
            byte[] microsoft = new String(Reports.daily("Microsoft Corporation", UUID.randomUUID().toString(), domain,
                    day, 90 + (day * 13) % 30, broken ? 12 : 0, "certificate-host-mismatch", "mx1." + domain),
                    StandardCharsets.UTF_8).replace("\"receiving-mx-hostname\": \"mx1." + domain + "\"",
                    "\"receiving-mx-hostname\": \"mx2.new-provider.example\"").getBytes(StandardCharsets.UTF_8);
            Reports.store(microsoft);
        }
        long domainId = (Long) Sql.query("select id from domain where name = ?", domain);
        Sql.query("insert into alert (domain_id, status, claimed_at, lease_expires_at, sent_at, recipients, "
                + "failed_sessions) values (?, 'sent', now() - interval '4 days', now() - interval '4 days', "
                + "now() - interval '4 days', array['tls-alerts@contoso.onmicrosoft.com'], 52) returning id", domainId);
    }

    private static WebDriverWait await() {
        return new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    private static void screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
