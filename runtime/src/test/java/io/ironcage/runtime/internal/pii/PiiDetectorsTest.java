package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each built-in kind against realistic sentences: what it must find, and look-alikes it must leave alone. */
class PiiDetectorsTest {

    private static final PiiScanner SCANNER = new PiiScanner(BuiltInDetectors.all());

    /** The findings of {@code kind} in {@code sentence}, as the values they cover. */
    private static List<String> found(String kind, String sentence) {
        return SCANNER.scan(sentence).stream()
                .filter(m -> m.kind().equals(kind))
                .map(m -> sentence.substring(m.start(), m.end()))
                .toList();
    }

    @ParameterizedTest(name = "{0} in: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            EMAIL  | Contact me at john.doe@example.com for details.            | john.doe@example.com
            EMAIL  | Send the invoice to billing+eu@shop.co.uk, please.         | billing+eu@shop.co.uk
            EMAIL  | Her address is <anna_smith@mail.example.org>.              | anna_smith@mail.example.org
            EMAIL  | Reach support@my-company.io at any time                    | support@my-company.io
            EMAIL  | WRITE TO JOHN.SMITH@EXAMPLE.COM TODAY                      | JOHN.SMITH@EXAMPLE.COM
            EMAIL  | cc: a.b-c_d@sub.domain.example.travel                      | a.b-c_d@sub.domain.example.travel
            EMAIL  | (mail x9@y.de)                                             | x9@y.de
            PHONE  | Call me at +1 (555) 123-4567 tomorrow.                     | +1 (555) 123-4567
            PHONE  | Our London office: +44 20 7946 0958.                       | +44 20 7946 0958
            PHONE  | Ring 555-123-4567 after 6pm.                               | 555-123-4567
            PHONE  | The hotline is (555) 987-6543, open daily.                 | (555) 987-6543
            PHONE  | Toll-free: 1-800-555-0199.                                 | 1-800-555-0199
            PHONE  | In Berlin dial 030 12345678 instead.                       | 030 12345678
            PHONE  | Mon portable: 06 12 34 56 78.                              | 06 12 34 56 78
            PHONE  | The E.164 form +14155552671 works too.                     | +14155552671
            PHONE  | From abroad: +44 (0)20 7946 0958                           | +44 (0)20 7946 0958
            SSN    | My SSN is 123-45-6789.                                     | 123-45-6789
            SSN    | Employee 219-09-9999 enrolled yesterday.                   | 219-09-9999
            SSN    | ssn=536-90-4399;                                           | 536-90-4399
            SSN    | The number (665-12-3456) was on the form.                  | 665-12-3456
            SSN    | Area 899 is valid: 899-99-9999                             | 899-99-9999
            SSN    | SSN: 078-05-1120 was printed on wallet cards.              | 078-05-1120
            CARD   | Visa 4111 1111 1111 1111 expires 12/26.                    | 4111 1111 1111 1111
            CARD   | Pay with 4111-1111-1111-1111 today.                        | 4111-1111-1111-1111
            CARD   | Mastercard 5555555555554444 is on file.                    | 5555555555554444
            CARD   | Amex 3782 822463 10005 please.                             | 3782 822463 10005
            CARD   | Diners 3056 930902 5904 was declined.                      | 3056 930902 5904
            CARD   | Old Visa 4222222222222 still works.                        | 4222222222222
            CARD   | A 19-digit one: 4000 1234 5678 9012 343.                   | 4000 1234 5678 9012 343
            CARD   | card 4111 1111 1111 1111 123 (the last three are the CVV)  | 4111 1111 1111 1111
            IBAN   | Please wire it to DE89 3704 0044 0532 0130 00 by Friday.   | DE89 3704 0044 0532 0130 00
            IBAN   | UK account GB82 WEST 1234 5698 7654 32.                    | GB82 WEST 1234 5698 7654 32
            IBAN   | FR14 2004 1010 0505 0001 3M02 606 is the French one        | FR14 2004 1010 0505 0001 3M02 606
            IBAN   | Dutch IBAN: NL91ABNA0417164300                             | NL91ABNA0417164300
            IBAN   | Swiss (CH9300762011623852957) and nothing else             | CH9300762011623852957
            IBAN   | Spain: ES91 2100 0418 4502 0005 1332.                      | ES91 2100 0418 4502 0005 1332
            IBAN   | The shortest, Norway: NO9386011117947                      | NO9386011117947
            IP     | The server at 192.168.1.10 is down.                        | 192.168.1.10
            IP     | Ping 8.8.8.8 to test DNS.                                  | 8.8.8.8
            IP     | Bind to 0.0.0.0:8080 for all interfaces.                   | 0.0.0.0
            IP     | Broadcast goes to 255.255.255.255.                         | 255.255.255.255
            IP     | The IPv6 loopback ::1 answers.                             | ::1
            IP     | Link-local fe80::1ff:fe23:4567:890a is set.                | fe80::1ff:fe23:4567:890a
            IP     | Full form 2001:0db8:85a3:0000:0000:8a2e:0370:7334.         | 2001:0db8:85a3:0000:0000:8a2e:0370:7334
            IP     | Mapped ::ffff:192.0.2.128 address                          | ::ffff:192.0.2.128
            IP     | curl https://[2001:db8::1]:443/health                      | 2001:db8::1
            SECRET | export OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z | sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z
            SECRET | key: sk-ant-api03-Xy9zAb8CdEf7GhIj6KlMn5OpQr4StUv3WxYz2AbCd | sk-ant-api03-Xy9zAb8CdEf7GhIj6KlMn5OpQr4StUv3WxYz2AbCd
            SECRET | the old sk-1234567890abcdefghijABCDEFGHIJklmnopqrstUVWX key | sk-1234567890abcdefghijABCDEFGHIJklmnopqrstUVWX
            SECRET | aws_access_key_id = AKIAIOSFODNN7EXAMPLE                   | AKIAIOSFODNN7EXAMPLE
            SECRET | A session key ASIAY34FZKBOKMUTVV7A expires soon.           | ASIAY34FZKBOKMUTVV7A
            SECRET | Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123XYZ | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123XYZ
            SECRET | authorization: bearer 3f9a8c7e6d5b4a39281706f5e4d3c2b1     | 3f9a8c7e6d5b4a39281706f5e4d3c2b1
            SECRET | GH_TOKEN=ghp_1234567890abcdefghijABCDEFGHIJklmnop          | ghp_1234567890abcdefghijABCDEFGHIJklmnop
            """)
    void finds(String kind, String sentence, String value) {
        assertEquals(List.of(value), found(kind, sentence));
    }

    @ParameterizedTest(name = "no {0} in: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            EMAIL  | Follow @johndoe on social media.
            EMAIL  | Use icon@2x.png on retina screens.
            EMAIL  | Install lodash@4.17.21 with npm.
            EMAIL  | The @Override annotation marks the method.
            EMAIL  | Write to user@localhost while testing.
            EMAIL  | Ping name@example if needed.
            EMAIL  | Spelled out: john.doe at example dot com.
            PHONE  | The meeting is on 2024-01-15 at noon.
            PHONE  | It costs $1,299.99 or 1299.99 EUR.
            PHONE  | Upgrade to version 3.12.4 today.
            PHONE  | Founded in 1998, the firm now has 250 staff.
            PHONE  | Order #12345678 has shipped.
            PHONE  | Ticket 0123-4567 is still open.
            PHONE  | The holidays are 01.02.2024 and 05/06/2024.
            PHONE  | Pay with 4111 1111 1111 1111 today.
            PHONE  | The lottery drew 06 12 34 56 78 90 12 last night.
            PHONE  | Unix time 1700000000 fell in 2023.
            SSN    | Area 000 is never issued: 000-12-3456.
            SSN    | Nor is 666: 666-12-3456.
            SSN    | Nor are the 900s: 900-12-3456.
            SSN    | Group 00 is invalid: 123-00-4567.
            SSN    | Serial 0000 is invalid: 123-45-0000.
            SSN    | Call 123-456-7890 instead.
            SSN    | Part number 123-45-67890 is longer.
            SSN    | The date 2024-01-15 is not one.
            CARD   | Luhn fails for 4111 1111 1111 1112.
            CARD   | A made-up 1234 5678 9012 3456 is not a card.
            CARD   | All zeros 0000 0000 0000 0000 pass Luhn but are not a card.
            CARD   | Twelve digits 4111 1111 1111 are too few.
            CARD   | Odd groups 4111 11111 1111 1111 are not printed cards.
            CARD   | The timestamp 1700000000000 is in milliseconds.
            CARD   | Call +1 (555) 123-4567 about it.
            IBAN   | One digit off: DE89 3704 0044 0532 0130 01.
            IBAN   | Also off: GB82 WEST 1234 5698 7654 33.
            IBAN   | Too short: AB12 CDEF.
            IBAN   | We are ISO 9001 certified.
            IBAN   | Flight LH12 3456 7890 leaves at nine.
            IBAN   | Check digits swapped: DE98 3704 0044 0532 0130 00.
            IBAN   | Part number XY12 3456 7890 1234 5678 is in stock.
            IP     | Version 1.2.3 was released.
            IP     | Build 1.2.3.4.5 is out.
            IP     | 999.1.1.1 is not an address.
            IP     | The meeting is at 10:30:00.
            IP     | In C++ use std::vector.
            IP     | The MAC is 00:1A:2B:3C:4D:5E.
            IP     | Tag v1.2.3.4 was pushed.
            IP     | Ruby constants like A::B and Foo::Bar.
            IP     | Prices 3.50 and 1.25 went up.
            SECRET | We use sk-learn for our models.
            SECRET | See the task-list in Jira.
            SECRET | Read sk-learn-tutorial-for-beginners-2024 first.
            SECRET | Bearer authentication-is-described-here in RFC 6750.
            SECRET | The bearer of this letter is a friend.
            SECRET | AKIA is the prefix of long-term AWS keys.
            SECRET | ghp_short is not a token.
            SECRET | Send a Bearer token in the header.
            """)
    void ignores(String kind, String sentence) {
        assertEquals(List.of(), found(kind, sentence));
    }
}
