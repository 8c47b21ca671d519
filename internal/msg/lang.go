package msg

import (
	"fmt"
	"strings"
)

// Choose picks the language of messages: flag when given ("zh" or "en",
// also "中文"/"english" spelled any case); else English when the first of
// LC_ALL, LC_MESSAGES and LANG that is set begins with "en"; else Chinese.
// getenv is os.Getenv, or a test's map.
func Choose(flag string, getenv func(string) string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(flag)) {
	case "":
	case "zh", "zh-cn", "zh_cn", "cn", "中文":
		return Zh, nil
	case "en", "en-us", "en_us", "english":
		return En, nil
	default:
		return "", fmt.Errorf("--lang %q: use zh (中文, the default) or en", flag)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "en") {
				return En, nil
			}
			return Zh, nil
		}
	}
	return Zh, nil
}
