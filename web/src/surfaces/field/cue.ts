/**
 * Attention cue for a new assignment: vibration where supported and a short two-tone beep. Browsers
 * allow sound only after a user gesture, so the audio context is created on the first tap
 * (`primeAudio`) and reused.
 */
let audio: AudioContext | null = null;

export function primeAudio(): void {
  if (audio) {
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    return;
  }
  const Ctor =
    window.AudioContext ??
    (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return;
  try {
    audio = new Ctor();
  } catch {
    audio = null;
  }
}

function beep(context: AudioContext, frequency: number, start: number, duration: number): void {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'square';
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(start);
  oscillator.stop(start + duration + 0.02);
}

export function assignmentCue(): void {
  try {
    navigator.vibrate?.([300, 120, 300, 120, 300]);
  } catch {
    // vibration unsupported
  }
  if (audio?.state !== 'running') return;
  const now = audio.currentTime;
  beep(audio, 880, now, 0.18);
  beep(audio, 660, now + 0.24, 0.18);
  beep(audio, 880, now + 0.48, 0.25);
}
