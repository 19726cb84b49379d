package dev.tongxing.hub.lookup;

import java.util.Map;

/** GB/T 2260 province-level codes (the first two digits of an administrative division code). */
public final class Provinces {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("11", "北京"), Map.entry("12", "天津"), Map.entry("13", "河北"), Map.entry("14", "山西"),
            Map.entry("15", "内蒙古"), Map.entry("21", "辽宁"), Map.entry("22", "吉林"), Map.entry("23", "黑龙江"),
            Map.entry("31", "上海"), Map.entry("32", "江苏"), Map.entry("33", "浙江"), Map.entry("34", "安徽"),
            Map.entry("35", "福建"), Map.entry("36", "江西"), Map.entry("37", "山东"), Map.entry("41", "河南"),
            Map.entry("42", "湖北"), Map.entry("43", "湖南"), Map.entry("44", "广东"), Map.entry("45", "广西"),
            Map.entry("46", "海南"), Map.entry("50", "重庆"), Map.entry("51", "四川"), Map.entry("52", "贵州"),
            Map.entry("53", "云南"), Map.entry("54", "西藏"), Map.entry("61", "陕西"), Map.entry("62", "甘肃"),
            Map.entry("63", "青海"), Map.entry("64", "宁夏"), Map.entry("65", "新疆"), Map.entry("71", "台湾"),
            Map.entry("81", "香港"), Map.entry("82", "澳门"));

    private Provinces() {}

    public static boolean isKnown(String code) {
        return code != null && NAMES.containsKey(code);
    }

    public static String name(String code) {
        return NAMES.getOrDefault(code, code);
    }
}
