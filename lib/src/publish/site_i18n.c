/* Interface strings of the published site (French by default, English) and the number
 * formats that go with them: sizes in ko/Mo or kB/MB, durations, footprints. The
 * strings are constants of the program, never user text, so they are not escaped. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "site.h"

static const SiteStrings fr = {
    .lang = "fr",
    .default_title = "Vidéos",
    .skip = "Aller au contenu",
    .intro = "Aucune vidéo ne démarre seule et rien n'est téléchargé avant un clic. "
             "Le poids de chaque fichier est indiqué avant tout transfert.",
    .duration = "Durée",
    .listen = "Écouter seulement",
    .transcript = "Transcription",
    .definitions = "Fichiers",
    .definition = "Définition",
    .automatic = "Automatique (selon l'écran)",
    .per_view = "par vue",
    .page_of = "Page %d sur %d",
    .prev = "Page précédente",
    .next = "Page suivante",
    .pages_label = "Pages",
    .playlists = "Listes de lecture et informations",
    .m3u_video = "Liste de lecture vidéo (M3U)",
    .m3u_audio = "Liste de lecture audio (M3U)",
    .podcast = "Podcast (RSS)",
    .manifest = "Données (JSON)",
    .declaration = "Déclaration d'écoconception",
    .heavy = "lourd",
    .audio = "audio",
    .captions = "Sous-titres",
    .no_js = "",
    .decimal = ",",
    .units = {"o", "ko", "Mo", "Go"},
    .role = {"Audio seul", "Sobre", "Standard", "Haute définition", "Compatibilité", "AV1",
             "Très léger", "HDR"},
    .terminal = {"Écoute seule, page masquée, podcast",
                 "Smartphones et écrans ≤ 700 px, réseaux lents (choix automatique)",
                 "Ordinateurs et tablettes (écrans > 700 px)",
                 "Sur demande uniquement, signalé comme lourd",
                 "Navigateurs anciens sans VP9 (secours)",
                 "Navigateurs récents qui décodent l'AV1 (écrans > 700 px)",
                 "Réseaux très lents, au choix de l'utilisateur",
                 "Écrans HDR (plage dynamique étendue) > 700 px, choisi par le navigateur"},
    .eco_title = "Déclaration d'écoconception — partie média",
    .eco_intro = "Partie média de la déclaration d'écoconception (RGESN 2024), établie par "
                 "sobre %s à partir des fichiers publiés.",
    .eco_media = "Rendus publiés",
    .eco_cols = {"Rendu", "Terminal visé", "Codecs, canaux, conteneur", "Définition",
                 "Débit mesuré", "Mode d'encodage", "Par vue"},
    .eco_vbr = "débit variable (VBR)",
    .eco_crf = "qualité constante CRF %d",
    .eco_cap = "plafond %d kbit/s",
    .eco_keyint = "image clé toutes les %.3g s",
    .eco_mono = "mono",
    .eco_stereo = "stéréo",
    .eco_channels = "%d canaux",
    .eco_budget = "Budget de page (mesuré sur les fichiers publiés)",
    .eco_budget_cols = {"Page", "Requêtes", "HTML", "CSS + JS", "Affiches", "Total"},
    .eco_criteria = "Critères RGESN 2024 traités par le lecteur",
    .eco_crit_cols = {"Critère", "Mise en œuvre"},
    .eco_crit = {{"4.1", "Pas de lecture automatique : preload=\"none\", aucune donnée média "
                         "avant un clic."},
                 {"4.11, 4.12", "Poids et format de chaque fichier affichés avant tout transfert ; "
                                "la haute définition est signalée comme lourde."},
                 {"4.15", "Choix de la définition, mémorisé dans le navigateur."},
                 {"5.1, 5.2", "Affiches WebP à la taille d'affichage, avec largeur et hauteur."},
                 {"5.3", "Définition adaptée au terminal : rendu sobre sur les écrans ≤ 700 px."},
                 {"5.4", "Codecs efficaces (VP9 et Opus, AV1 en option) ; H.264 et AAC seulement "
                         "en secours."},
                 {"5.5", "Mode audio seul (« Écouter seulement ») et bascule automatique vers "
                         "l'audio quand la page est masquée."},
                 {"5.6", "Encodage à débit variable ; audio mono pour la parole."},
                 {"5.7", "Sous-titres WebVTT et transcription à côté de chaque vidéo."},
                 {"6.1", "Polices du système, une feuille de style, un script facultatif "
                         "de moins de 2 ko, aucune ressource tierce."}},
    .eco_footprint = "Empreinte par vue",
    .eco_fp_none = "non calculée",
    .eco_episodes = "%d épisode(s), durée totale %s, médias publiés : %s.",
    .eco_back = "Retour aux vidéos",
    .fp_note = "Empreinte par vue : estimation de « sobre footprint » pour le terminal et le "
               "réseau typiques de chaque fichier (énergie, et carbone hors fabrication du "
               "terminal)",
};

static const SiteStrings en = {
    .lang = "en",
    .default_title = "Videos",
    .skip = "Skip to content",
    .intro = "No video starts by itself and nothing is downloaded before a click. "
             "The size of every file is shown before any transfer.",
    .duration = "Duration",
    .listen = "Listen only",
    .transcript = "Transcript",
    .definitions = "Files",
    .definition = "Definition",
    .automatic = "Automatic (fits the screen)",
    .per_view = "per view",
    .page_of = "Page %d of %d",
    .prev = "Previous page",
    .next = "Next page",
    .pages_label = "Pages",
    .playlists = "Playlists and information",
    .m3u_video = "Video playlist (M3U)",
    .m3u_audio = "Audio playlist (M3U)",
    .podcast = "Podcast (RSS)",
    .manifest = "Data (JSON)",
    .declaration = "Eco-design statement",
    .heavy = "heavy",
    .audio = "audio",
    .captions = "Captions",
    .no_js = "",
    .decimal = ".",
    .units = {"B", "kB", "MB", "GB"},
    .role = {"Audio only", "Light", "Standard", "High definition", "Compatibility", "AV1",
             "Very light", "HDR"},
    .terminal = {"Listening only, hidden page, podcast",
                 "Phones and screens up to 700 px, slow links (automatic)",
                 "Computers and tablets (screens over 700 px)", "On demand only, flagged as heavy",
                 "Old browsers without VP9 (fallback)",
                 "Recent browsers that decode AV1 (screens over 700 px)",
                 "Very slow links, on the user's choice",
                 "HDR (high dynamic range) screens over 700 px, chosen by the browser"},
    .eco_title = "Eco-design statement — media part",
    .eco_intro = "Media part of the eco-design statement (French RGESN 2024), made by sobre %s "
                 "from the published files.",
    .eco_media = "Published renditions",
    .eco_cols = {"Rendition", "Target devices", "Codecs, channels, container", "Definition",
                 "Measured bitrate", "Encoding mode", "Per view"},
    .eco_vbr = "variable bitrate (VBR)",
    .eco_crf = "constant quality CRF %d",
    .eco_cap = "capped at %d kbit/s",
    .eco_keyint = "key frame every %.3g s",
    .eco_mono = "mono",
    .eco_stereo = "stereo",
    .eco_channels = "%d channels",
    .eco_budget = "Page budget (measured on the published files)",
    .eco_budget_cols = {"Page", "Requests", "HTML", "CSS + JS", "Posters", "Total"},
    .eco_criteria = "RGESN 2024 criteria handled by the player",
    .eco_crit_cols = {"Criterion", "How"},
    .eco_crit = {{"4.1", "No autoplay: preload=\"none\", no media byte before a click."},
                 {"4.11, 4.12", "Size and format of every file shown before any transfer; high "
                                "definition is flagged as heavy."},
                 {"4.15", "Definition chosen by the user and remembered by the browser."},
                 {"5.1, 5.2", "WebP posters at display size, with width and height."},
                 {"5.3", "Definition fitted to the device: the light rendition on screens up to "
                         "700 px."},
                 {"5.4", "Efficient codecs (VP9 and Opus, AV1 optional); H.264 and AAC only as "
                         "a fallback."},
                 {"5.5", "Audio-only mode (\"Listen only\") and automatic switch to audio when "
                         "the page is hidden."},
                 {"5.6", "Variable bitrate encoding; mono audio for speech."},
                 {"5.7", "WebVTT captions and a transcript next to every video."},
                 {"6.1", "System fonts, one stylesheet, an optional script under 2 kB, no "
                         "third-party resource."}},
    .eco_footprint = "Footprint per view",
    .eco_fp_none = "not computed",
    .eco_episodes = "%d episode(s), total duration %s, published media: %s.",
    .eco_back = "Back to the videos",
    .fp_note = "Footprint per view: estimated by \"sobre footprint\" for the typical device and "
               "network of each file (energy, and carbon without the device's manufacturing)",
};

const SiteStrings *site_strings(const char *lang)
{
    if (!lang || !strcmp(lang, "fr"))
        return &fr;
    if (!strcmp(lang, "en"))
        return &en;
    return NULL;
}

static const char *const role_names[SITE_ROLES] = {"audio",    "sobre", "standard", "high",
                                                   "fallback", "extra", "low",      "hdr"};

const char *site_role_name(int role)
{
    return role >= 0 && role < SITE_ROLES ? role_names[role] : "";
}

int site_role(const char *role)
{
    for (int i = 0; i < SITE_ROLES; i++)
        if (!strcmp(role, role_names[i]))
            return i;
    return -1;
}

/* printf-formatted number with the language's decimal separator. */
static void put_decimal(SobreBuf *b, const SiteStrings *t, int decimals, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
    for (char *p = tmp; *p; p++) {
        if (*p == '.')
            sobre_buf_puts(b, t->decimal);
        else
            sobre_buf_putn(b, p, 1);
    }
}

void site_put_size(SobreBuf *b, const SiteStrings *t, int64_t bytes)
{
    double v = (double)bytes;
    int u = 0;
    while (v >= 999.5 && u < 3) {
        v /= 1000.0;
        u++;
    }
    put_decimal(b, t, (u > 0 && v < 9.95) ? 1 : 0, v);
    sobre_buf_printf(b, " %s", t->units[u]);
}

void site_put_duration(SobreBuf *b, double seconds)
{
    long s = lround(seconds);
    if (s < 1)
        s = 1;
    if (s < 60)
        sobre_buf_printf(b, "%ld s", s);
    else if (s < 3600)
        sobre_buf_printf(b, "%ld min %02ld s", s / 60, s % 60);
    else
        sobre_buf_printf(b, "%ld h %02ld min", s / 3600, (s % 3600) / 60);
}

void site_put_num(SobreBuf *b, const SiteStrings *t, double v)
{
    int decimals = 0;
    if (!(v > 0) || !isfinite(v)) {
        sobre_buf_puts(b, "0");
        return;
    }
    int e = (int)floor(log10(v));
    if (e < 1)
        decimals = 1 - e;
    if (decimals > 9)
        decimals = 9;
    put_decimal(b, t, decimals, v);
}

void site_put_footprint(SobreBuf *b, const SiteStrings *t, double wh, double g)
{
    sobre_buf_puts(b, "≈ ");
    site_put_num(b, t, wh);
    sobre_buf_puts(b, " Wh · ");
    site_put_num(b, t, g);
    sobre_buf_puts(b, " g CO₂e");
}

const char *site_codec_name(const char *c)
{
    static const char *const map[][2] = {
        {"vp9", "VP9"},   {"av1", "AV1"}, {"h264", "H.264"}, {"hevc", "HEVC"},     {"vp8", "VP8"},
        {"opus", "Opus"}, {"aac", "AAC"}, {"mp3", "MP3"},    {"vorbis", "Vorbis"}, {"webm", "WebM"},
        {"mp4", "MP4"},   {"m4a", "M4A"}, {"ogg", "Ogg"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (!strcmp(c, map[i][0]))
            return map[i][1];
    return c;
}

void site_page_name(int page, char *out, size_t size)
{
    if (page <= 1)
        snprintf(out, size, "index.html");
    else
        snprintf(out, size, "page-%d.html", page);
}
