package dev.handshake.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Number text of {@link CanonicalJson#formatNumber} (ECMAScript) and {@link PythonJson#floatRepr}
 * (Python) against generated corpora.
 *
 * <p>{@code vectors/jcs/es6-*-sample.txt.gz} are deterministic samples of the V8-generated corpora
 * in {@code ../shared/vectors/jcs}: lines 1–2,000 and then every 84th line (numbers) or every 6th
 * line (subnormals), made with {@code zcat es6-numbers.txt.gz | awk 'NR<=2000 || (NR-2001)%84==0' |
 * gzip -9n}. {@code vectors/python/float-repr-sample.txt.gz} is CPython 3.11 {@code repr(float)} of
 * the same doubles plus the 200 smallest subnormals and a few powers of ten.
 */
class NumberFormattingTest {

  @Test
  void formatsEveryLineOfTheEs6NumberSample() {
    assertEveryLine(
        VectorFiles.gzipLines("/vectors/jcs/es6-numbers-sample.txt.gz"),
        CanonicalJson::formatNumber,
        4982);
  }

  @Test
  void formatsEveryLineOfTheEs6SubnormalSample() {
    assertEveryLine(
        VectorFiles.gzipLines("/vectors/jcs/es6-subnormals-sample.txt.gz"),
        CanonicalJson::formatNumber,
        5000);
  }

  @Test
  void formatsEveryLineOfTheFullEs6CorporaWhenSharedVectorsArePresent() {
    Optional<Path> dir = VectorFiles.shared("jcs");
    assumeTrue(dir.isPresent(), "../shared/vectors/jcs is not checked out beside the repository");
    long start = System.nanoTime();
    List<String> numbers = VectorFiles.gzipLines(dir.get().resolve("es6-numbers.txt.gz"));
    List<String> subnormals = VectorFiles.gzipLines(dir.get().resolve("es6-subnormals.txt.gz"));
    assertEveryLine(numbers, CanonicalJson::formatNumber, 252_446);
    assertEveryLine(subnormals, CanonicalJson::formatNumber, 20_000);
    System.out.printf(
        "full ES6 corpora: %,d lines in %d ms%n",
        numbers.size() + subnormals.size(), (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void reprsEveryLineOfThePythonSampleLikeCPython() {
    assertEveryLine(
        VectorFiles.gzipLines("/vectors/python/float-repr-sample.txt.gz"),
        PythonJson::floatRepr,
        10_193);
  }

  /** Lines are {@code <16 hex digits of the IEEE double> <expected text>}. */
  private static void assertEveryLine(
      List<String> lines, DoubleFunction<String> format, int expectedLines) {
    assertThat(lines).as("corpus lines").hasSize(expectedLines);
    List<String> wrong = new ArrayList<>();
    int wrongCount = 0;
    for (String line : lines) {
      int space = line.indexOf(' ');
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, space), 16));
      String expected = line.substring(space + 1);
      String actual = format.apply(d);
      if (!actual.equals(expected) && wrongCount++ < 20) {
        wrong.add(line + " but got " + actual);
      }
    }
    assertThat(wrong).as("%d lines formatted differently, the first 20", wrongCount).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ' ',
      value = {
        "0000000000000000 0",
        "8000000000000000 0",
        "0000000000000001 5e-324",
        "8000000000000001 -5e-324",
        "7fefffffffffffff 1.7976931348623157e+308",
        "ffefffffffffffff -1.7976931348623157e+308",
        "4340000000000000 9007199254740992",
        "c340000000000000 -9007199254740992",
        "4430000000000000 295147905179352830000",
        "44b52d02c7e14af5 9.999999999999997e+22",
        "44b52d02c7e14af6 1e+23",
        "44b52d02c7e14af7 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e 999999999999999700000",
        "444b1ae4d6e2ef4f 999999999999999900000",
        "444b1ae4d6e2ef50 1e+21",
        "3eb0c6f7a0b5ed8c 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d 0.000001",
        "41b3de4355555553 333333333.3333332",
        "41b3de4355555554 333333333.33333325",
        "41b3de4355555555 333333333.3333333",
        "41b3de4355555556 333333333.3333334",
        "41b3de4355555557 333333333.33333343",
        "becbf647612f3696 -0.0000033333333333333333",
        "43143ff3c1cb0959 1424953923781206.2"
      })
  void formatsRfc8785AppendixBNumbers(String hex, String expected) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    assertThat(CanonicalJson.formatNumber(d)).isEqualTo(expected);
  }

  // Double.toString gives 4.9E-324, 9.9E-324, 1.5E-323 (already right), 4.9E-323, 9.9E-323: where
  // one digit reads back, ECMAScript and Python print one digit. Expected text from Node.js.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ' ',
      value = {
        "0000000000000001 5e-324",
        "0000000000000002 1e-323",
        "0000000000000003 1.5e-323",
        "000000000000000a 5e-323",
        "0000000000000014 1e-322"
      })
  void printsOneDigitWhereTheJdkPrintsTwoButOneReadsBack(String hex, String expected) {
    double d = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    assertThat(CanonicalJson.formatNumber(d)).isEqualTo(expected);
    assertThat(PythonJson.floatRepr(d)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void refusesNonFiniteNumbers(double d) {
    assertThatThrownBy(() -> CanonicalJson.formatNumber(d))
        .isInstanceOf(CanonicalJsonException.class);
  }

  @Test
  void pythonReprLaysOutExponentsAndWholeFloatsLikePython() {
    assertThat(PythonJson.floatRepr(100.0)).isEqualTo("100.0");
    assertThat(PythonJson.floatRepr(1e-7)).isEqualTo("1e-07");
    assertThat(PythonJson.floatRepr(1e16)).isEqualTo("1e+16");
    assertThat(PythonJson.floatRepr(1e15)).isEqualTo("1000000000000000.0");
    assertThat(PythonJson.floatRepr(0.0001)).isEqualTo("0.0001");
    assertThat(PythonJson.floatRepr(-0.0)).isEqualTo("-0.0");
    assertThat(PythonJson.floatRepr(1.5e300)).isEqualTo("1.5e+300");
    assertThat(PythonJson.floatRepr(Double.NaN)).isEqualTo("nan");
    assertThat(PythonJson.floatRepr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
  }
}
